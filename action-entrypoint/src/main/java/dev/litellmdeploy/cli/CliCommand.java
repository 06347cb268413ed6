package dev.litellmdeploy.cli;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * What every subcommand has: its picocli spec, a console on its streams, --json, and option texts and
 * defaults from {@link OptionTable}.
 */
@Command(defaultValueProvider = OptionTableDefaults.class, modelTransformer = OptionTableTransformer.class)
abstract class CliCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--json")
    boolean json;

    Console console() {
        return new Console(spec.commandLine().getOut(), spec.commandLine().getErr());
    }
}
