package dev.litellmdeploy.cli;

import java.util.Map;

import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The defaults of {@link OptionTable} for picocli (declared on {@link CliCommand}, so every subcommand
 * and {@code CommandLine.populateCommand} has them): the row's environment variable when it is set,
 * else the row's default. A boolean flag has none (it is off unless given); an option without a row
 * keeps its annotated default, and so does an option that declares one.
 */
public final class OptionTableDefaults implements IDefaultValueProvider {
    private final Map<String, String> env;

    public OptionTableDefaults() {
        this(System.getenv());
    }

    OptionTableDefaults(Map<String, String> env) {
        this.env = env;
    }

    @Override
    public String defaultValue(ArgSpec arg) {
        // an option that declares its own default keeps it (validate --litellm-version: unknown, not the pinned default)
        if (!(arg instanceof OptionSpec option) || option.arity().max() == 0 || option.defaultValue() != null) {
            return null;
        }
        return OptionTable.forFlag(option.longestName()).map(row -> {
            String fromEnv = fromEnvironment(row);
            return fromEnv != null ? fromEnv : row.defaultValue();
        }).orElse(null);
    }

    /** The row's environment variable, when it is set and not empty. */
    String fromEnvironment(OptionTable row) {
        String value = row.env() == null ? null : env.get(row.env());
        return value == null || value.isEmpty() ? null : value;
    }
}
