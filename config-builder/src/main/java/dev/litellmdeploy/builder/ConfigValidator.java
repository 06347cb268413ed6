package dev.litellmdeploy.builder;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * LiteLLM-aware checks on an assembled config. Every rule runs; all findings are returned
 * together, each with the file and line that produced the offending part. Unknown top-level
 * keys (often YAML anchor holders) are accepted, as LiteLLM accepts them.
 */
public final class ConfigValidator {
    private static final List<String> FALLBACK_KEYS = List.of("fallbacks", "context_window_fallbacks", "content_policy_fallbacks");
    private static final List<String> SETTINGS_WITH_FALLBACKS = List.of("router_settings", "litellm_settings");
    private static final List<String> POSITIVE_INTEGERS = List.of("rpm", "tpm", "max_tokens", "max_input_tokens", "max_output_tokens");

    public List<Finding> validate(AssembledConfig assembled, ValidationOptions options) {
        List<Finding> findings = new ArrayList<>();
        Map<String, Object> config = assembled.config();
        Set<String> names = modelList(assembled, findings);
        masterKey(assembled, options, findings);
        for (String section : SETTINGS_WITH_FALLBACKS) {
            if (config.get(section) instanceof Map<?, ?> settings) {
                for (String key : FALLBACK_KEYS) {
                    fallbacks(assembled, section + "." + key, settings.get(key), names, findings);
                }
            }
        }
        return findings;
    }

    private static Set<String> modelList(AssembledConfig assembled, List<Finding> findings) {
        Set<String> names = new LinkedHashSet<>();
        Object list = assembled.config().get("model_list");
        if (!(list instanceof List<?> entries) || entries.isEmpty()) {
            findings.add(Finding.error("no-models", assembled.locate("model_list"),
                    "model_list is missing or empty: LiteLLM would serve no model; add at least one entry"
                            + " (model_name + litellm_params.model)"));
            return names;
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < entries.size(); i++) {
            String path = "model_list[" + i + "]";
            if (!(entries.get(i) instanceof Map<?, ?> entry)) {
                findings.add(Finding.error("model-entry-not-a-mapping", assembled.locate(path),
                        "a model_list entry must be a mapping with model_name and litellm_params"));
                continue;
            }
            Object name = entry.get("model_name");
            if (!(name instanceof String s) || s.isBlank()) {
                findings.add(Finding.error("model-name-missing", assembled.locate(path), "model entry has no model_name"));
            } else {
                if (s.length() > 256) {
                    findings.add(Finding.error("model-name-too-long", assembled.locate(path + ".model_name"),
                            "model_name is longer than 256 characters; it is printed in plans, logs and the job summary"));
                }
                names.add(s);
                plainText(assembled, path + ".model_name", s, findings);
            }
            Object params = entry.get("litellm_params");
            if (params instanceof Map<?, ?> p && p.get("model") instanceof String m) {
                plainText(assembled, path + ".litellm_params.model", m, findings);
            }
            if (!(params instanceof Map<?, ?> p) || !(p.get("model") instanceof String m) || m.isBlank()) {
                findings.add(Finding.error("model-missing", assembled.locate(path + ".litellm_params"),
                        "model entry " + (name == null ? "" : "'" + name + "' ") + "has no litellm_params.model"
                                + " (the provider/model LiteLLM should call, e.g. openai/gpt-4o)"));
            } else {
                positiveIntegers(assembled, path + ".litellm_params", p, findings);
            }
            if (entry.get("model_info") instanceof Map<?, ?> info) {
                positiveIntegers(assembled, path + ".model_info", info, findings);
            }
            if (!seen.add(String.valueOf(name) + "\u0000" + String.valueOf(params))) {
                findings.add(Finding.warning("duplicate-deployment", assembled.locate(path),
                        "model entry '" + name + "' repeats an earlier entry exactly; the router would count it twice"));
            }
        }
        return names;
    }

    /** Model names reach logs, terminals and the Actions log: a control character there is an attack or an accident, never a name. */
    private static void plainText(AssembledConfig assembled, String path, String value, List<Finding> findings) {
        value.chars().filter(c -> Character.getType(c) == Character.CONTROL || c == 0x2028 || c == 0x2029
                || c >= 0x202A && c <= 0x202E || c >= 0x2066 && c <= 0x2069).findFirst().ifPresent(c -> findings.add(Finding.error(
                "control-character", assembled.locate(path), path + " holds the control character " + String.format("U+%04X", c)
                        + "; a model name must be plain text (it is printed in logs, plans and the Actions log)")));
    }

    private static void positiveIntegers(AssembledConfig assembled, String path, Map<?, ?> map, List<Finding> findings) {
        for (String key : POSITIVE_INTEGERS) {
            if (!map.containsKey(key)) {
                continue;
            }
            Object v = map.get(key);
            boolean ok = (v instanceof Integer i && i > 0) || (v instanceof Long l && l > 0);
            if (!ok) {
                findings.add(Finding.error("not-positive-integer", assembled.locate(path + "." + key),
                        key + " must be a positive whole number, found " + describe(v)));
            }
        }
    }

    private static String describe(Object v) {
        if (v instanceof Number || v instanceof Boolean) {
            return String.valueOf(v);
        }
        return v == null ? "nothing" : "a " + (v instanceof String ? "string" : v.getClass().getSimpleName());
    }

    private static void masterKey(AssembledConfig assembled, ValidationOptions options, List<Finding> findings) {
        Map<String, Object> config = assembled.config();
        if (config.get("litellm_settings") instanceof Map<?, ?> litellm && litellm.containsKey("master_key")) {
            findings.add(Finding.error("master-key-misplaced", assembled.locate("litellm_settings.master_key"),
                    "master_key is under litellm_settings, where LiteLLM ignores it: the proxy would run with no"
                            + " authentication. Move it to general_settings.master_key"));
        }
        Object key = config.get("general_settings") instanceof Map<?, ?> general ? general.get("master_key") : null;
        boolean hasKey = key instanceof String s && !s.isBlank();
        boolean fromEnvSection = config.get("environment_variables") instanceof Map<?, ?> env
                && env.get("LITELLM_MASTER_KEY") instanceof String s && !s.isBlank();
        if (!hasKey && !fromEnvSection && options.listensBeyondLoopback() && !options.allowNoAuth()) {
            findings.add(Finding.error("no-master-key", assembled.locate("general_settings"),
                    "no general_settings.master_key while the proxy listens on " + options.listenHost()
                            + ": anyone who reaches the port can spend your provider credits. Set one (a secret, or"
                            + " os.environ/LITELLM_MASTER_KEY), listen on 127.0.0.1, or allow it explicitly (--allow-no-auth)"));
        }
    }

    private static void fallbacks(AssembledConfig assembled, String path, Object value, Set<String> names, List<Finding> findings) {
        if (value == null) {
            return;
        }
        if (!(value instanceof List<?> rules)) {
            findings.add(Finding.error("fallbacks-malformed", assembled.locate(path),
                    path + " must be a list like [{\"model-a\": [\"model-b\"]}]"));
            return;
        }
        for (Object rule : rules) {
            if (!(rule instanceof Map<?, ?> map)) {
                findings.add(Finding.error("fallbacks-malformed", assembled.locate(path),
                        path + " entries must map a model name to a list of fallback names"));
                continue;
            }
            for (Map.Entry<?, ?> e : map.entrySet()) {
                Set<String> referenced = new TreeSet<>();
                referenced.add(String.valueOf(e.getKey()));
                if (e.getValue() instanceof List<?> targets) {
                    targets.forEach(t -> referenced.add(String.valueOf(t)));
                } else {
                    referenced.add(String.valueOf(e.getValue()));
                }
                for (String name : referenced) {
                    if (!names.contains(name) && !"*".equals(name)) {
                        List<String> near = NearNames.suggest(name, names);
                        findings.add(Finding.error("unknown-fallback", assembled.locate(path),
                                path + " names '" + name + "', which no model_list entry serves"
                                        + (near.isEmpty() ? "" : "; did you mean " + String.join(", ", near) + "?")));
                    }
                }
            }
        }
    }
}
