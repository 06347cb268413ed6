package dev.litellmdeploy.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code litellm-deploy secrets}: the secrets directory on its own (today: {@code check}). */
@Command(name = "secrets", mixinStandardHelpOptions = true,
        description = "Look at a secrets directory on its own: which files open (plain, SOPS, age), which keys they hold.",
        subcommands = SecretsCheckCommand.class)
public final class SecretsCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
