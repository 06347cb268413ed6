package dev.litellmdeploy.cli;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "deploy", mixinStandardHelpOptions = true, description = "Deploy a bundle to one or more hosts over SSH.")
public final class DeployCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().getErr().println("litellm-deploy deploy: not yet available in this version.");
        return 1;
    }
}
