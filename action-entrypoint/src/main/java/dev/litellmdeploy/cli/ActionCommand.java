package dev.litellmdeploy.cli;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "action", mixinStandardHelpOptions = true, description = "Run as the GitHub Action (inputs from INPUT_*, context from GITHUB_*).")
public final class ActionCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().getErr().println("litellm-deploy action: not yet available in this version.");
        return 1;
    }
}
