package dev.litellmdeploy.builder;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The {@code guardrails:} list, checked as proxy/guardrails/guardrail_registry.py
 * {@code initialize_guardrail} reads it (1.80.9 and 1.108.7): a list of mappings, each with
 * {@code guardrail_name} and a {@code litellm_params} mapping whose {@code guardrail} is a
 * built-in guardrail ({@code guardrail_initializer_registry}, listed per version in
 * guardrails-VERSION.txt, read from each wheel) or a {@code module.attr} of a Python file.
 */
final class GuardrailRules {
    /** The LiteLLM versions whose guardrail lists were read. */
    private static final List<String> READ = List.of("1.80.9", "1.108.7");

    private GuardrailRules() {
    }

    static void check(AssembledConfig assembled, ValidationOptions options, List<Finding> findings) {
        Map<String, Object> config = assembled.config();
        if (config.get("guardrails") == null) {
            return;
        }
        if (!(config.get("guardrails") instanceof List<?> guardrails)) {
            findings.add(Finding.error(Rule.GUARDRAILS_MALFORMED.code(), assembled.locate("guardrails"),
                    "guardrails must be a list of mappings (- guardrail_name: ..., litellm_params: {guardrail: ..., mode: ...});"
                            + " LiteLLM refuses to start otherwise"));
            return;
        }
        Set<String> known = known(options.litellmVersion());
        for (int i = 0; i < guardrails.size(); i++) {
            String path = "guardrails[" + i + "]";
            if (!(guardrails.get(i) instanceof Map<?, ?> g) || !(g.get("guardrail_name") instanceof String)
                    || !(g.get("litellm_params") instanceof Map<?, ?> params)) {
                findings.add(Finding.error(Rule.GUARDRAILS_MALFORMED.code(), assembled.locate(path),
                        path + " must be a mapping with guardrail_name and a litellm_params mapping; LiteLLM refuses to start otherwise"));
                continue;
            }
            Object type = params.get("guardrail");
            if (!(type instanceof String t) || !known.contains(t) && !t.contains(".")) {
                findings.add(Finding.error(Rule.GUARDRAIL_UNKNOWN.code(), assembled.locate(path + ".litellm_params.guardrail"),
                        path + ".litellm_params.guardrail " + (type == null ? "is missing" : "'" + type + "' is not a guardrail LiteLLM "
                                + (options.litellmVersion() == null ? "" : options.litellmVersion() + " ") + "has")
                                + " (nor module.attr of a Python file): LiteLLM 1.80.9 refuses to start, 1.108.7 starts without it"
                                + (type instanceof String t && !NearNames.suggest(t, List.copyOf(known)).isEmpty()
                                        ? "; did you mean " + String.join(", ", NearNames.suggest(t, List.copyOf(known))) + "?" : "")));
            }
        }
    }

    /** The guardrails of the pinned version when it was read, else of every version read. */
    static Set<String> known(String version) {
        List<String> versions = version != null && READ.contains(version) ? List.of(version) : READ;
        return versions.stream().flatMap(v -> read(v).stream()).collect(Collectors.toCollection(TreeSet::new));
    }

    private static List<String> read(String version) {
        try (InputStream in = GuardrailRules.class.getResourceAsStream("guardrails-" + version + ".txt")) {
            if (in == null) {
                throw new IllegalStateException("guardrails-" + version + ".txt is missing from the jar");
            }
            return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).lines()
                    .filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
