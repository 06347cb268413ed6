package dev.litellmdeploy.cli;

import java.util.concurrent.Callable;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** What every subcommand has: its picocli spec, a console on its streams, and --json. */
abstract class CliCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--json", description = "Print the result as JSON on stdout.")
    boolean json;

    Console console() {
        return new Console(spec.commandLine().getOut(), spec.commandLine().getErr());
    }
}
