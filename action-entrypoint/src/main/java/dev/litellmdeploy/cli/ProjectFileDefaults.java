package dev.litellmdeploy.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Option defaults from a project file, so that `litellm-deploy deploy` in a repo needs few flags:
 * {@value #FILE} in the templates directory (the one --templates names) or in the working
 * directory. Keys are long option names without dashes ({@code host: [agent.example.com]},
 * {@code known-hosts: deploy/known_hosts}, {@code user: deploy}); lists become comma-separated.
 * Precedence: command line, then environment variables, then this file, then the defaults of
 * {@link OptionTable} (this provider replaces {@link OptionTableDefaults} and falls back to it).
 * Never put secrets in it (it is meant to be committed).
 */
final class ProjectFileDefaults implements IDefaultValueProvider {
    static final String FILE = "litellm-deploy.yaml";
    private final Map<String, Object> values;
    private final Path source;
    private final Map<String, String> env;

    private ProjectFileDefaults(Map<String, Object> values, Path source, Map<String, String> env) {
        this.values = values;
        this.source = source;
        this.env = env;
    }

    /** The project file for these arguments, or null when there is none. */
    static ProjectFileDefaults find(String[] args) {
        return find(args, System.getenv());
    }

    /** The same with the environment given (the variables of {@link OptionTable} win over the file). */
    static ProjectFileDefaults find(String[] args, Map<String, String> env) {
        Path dir = Path.of("");
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--templates") && i + 1 < args.length) {
                dir = Path.of(args[i + 1]);
            } else if (args[i].startsWith("--templates=")) {
                dir = Path.of(args[i].substring("--templates=".length()));
            }
        }
        Path file = dir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try {
            Object data = new Yaml(new SafeConstructor(new LoaderOptions())).load(Files.readString(file, StandardCharsets.UTF_8));
            if (!(data instanceof Map<?, ?> map)) {
                throw new IllegalArgumentException(file + " must be a mapping of option names to values");
            }
            return new ProjectFileDefaults(map.entrySet().stream().collect(Collectors.toMap(e -> String.valueOf(e.getKey()), e -> e.getValue())),
                    file, env);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("cannot read the project file " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String defaultValue(ArgSpec arg) {
        if (!(arg instanceof OptionSpec option)) {
            return null;
        }
        OptionTableDefaults table = new OptionTableDefaults(env);
        if (OptionTable.forFlag(option.longestName()).map(table::fromEnvironment).isPresent()) {
            return table.defaultValue(option);
        }
        Object v = values.get(option.longestName().replaceFirst("^-+", ""));
        if (v == null) {
            return table.defaultValue(option);
        }
        if (v instanceof List<?> list) {
            return list.stream().map(String::valueOf).collect(Collectors.joining(","));
        }
        return String.valueOf(v);
    }

    Path source() {
        return source;
    }
}
