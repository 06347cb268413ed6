package dev.litellmdeploy.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import picocli.CommandLine.IModelTransformer;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Gives every {@code @Option} that has no description of its own the text of its {@link OptionTable}
 * row, for --help and docs/cli.md (declared on {@link CliCommand}, so every subcommand has it; the
 * defaults come from {@link OptionTableDefaults}). The options are rebuilt in their order, so --help
 * lists them as declared.
 */
public final class OptionTableTransformer implements IModelTransformer {
    @Override
    public CommandSpec transform(CommandSpec spec) {
        List<OptionSpec> options = new ArrayList<>(spec.options());
        if (options.stream().noneMatch(o -> row(o).isPresent())) {
            return spec;
        }
        for (OptionSpec o : options) {
            if (o.group() == null) {
                spec.remove(o);
            }
        }
        for (OptionSpec o : options) {
            if (o.group() != null) {
                continue;
            }
            Optional<OptionTable> row = row(o);
            if (row.isEmpty()) {
                spec.addOption(o);
                continue;
            }
            spec.addOption(OptionSpec.builder(o).description(row.get().cliDescription()).build());
        }
        return spec;
    }

    /** The row of an option that left its text to the table. */
    private static Optional<OptionTable> row(OptionSpec o) {
        if (o.group() != null || o.description().length > 0 || o.usageHelp() || o.versionHelp()) {
            return Optional.empty();
        }
        Optional<OptionTable> row = OptionTable.forFlag(o.longestName());
        if (row.isEmpty()) {
            throw new IllegalStateException(o.longestName() + " has no description and no row in OptionTable");
        }
        return row;
    }
}
