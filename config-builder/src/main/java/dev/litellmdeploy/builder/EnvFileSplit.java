package dev.litellmdeploy.builder;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Env-file mode: every secret value in the config is replaced by an {@code os.environ/NAME}
 * reference (LiteLLM resolves those) and written to litellm.env as NAME=value instead, so the
 * config can be read by more people than the secrets can. A secret that is only part of a larger
 * value cannot move; that is a warning naming the place.
 */
final class EnvFileSplit {
    record Result(Map<String, Object> config, Map<String, String> env, List<Finding> warnings) {
    }

    /**
     * @param names secret value -> the name it should get (from its place in the secrets repo)
     */
    Result split(AssembledConfig assembled, Map<String, String> names, Redactor redactor) {
        Map<String, String> env = new TreeMap<>();
        Map<String, String> valueToVar = new LinkedHashMap<>();
        List<Finding> warnings = new ArrayList<>();
        @SuppressWarnings("unchecked")
        Map<String, Object> config = (Map<String, Object>) walk("", assembled.config(), names, redactor, env, valueToVar,
                warnings, assembled);
        return new Result(config, env, warnings);
    }

    private Object walk(String path, Object value, Map<String, String> names, Redactor redactor, Map<String, String> env,
            Map<String, String> valueToVar, List<Finding> warnings, AssembledConfig assembled) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> out.put(String.valueOf(k), walk(path.isEmpty() ? String.valueOf(k) : path + "." + k, v,
                    names, redactor, env, valueToVar, warnings, assembled)));
            return out;
        }
        if (value instanceof List<?> list) {
            List<Object> out = new ArrayList<>();
            for (int i = 0; i < list.size(); i++) {
                out.add(walk(path + "[" + i + "]", list.get(i), names, redactor, env, valueToVar, warnings, assembled));
            }
            return out;
        }
        if (value instanceof String s && !s.startsWith("os.environ/")) {
            if (redactor.secrets().contains(s) && (names.containsKey(s) || isSensitivePath(path))) {
                String var = valueToVar.computeIfAbsent(s, v -> uniqueName(names.getOrDefault(v, path), env));
                env.put(var, s);
                return "os.environ/" + var;
            }
            if (redactor.secrets().contains(s)) {
                warnings.add(Finding.warning("secret-stays-inline", assembled.locate(path), "'" + path + "' is hidden in the"
                        + " redacted view, but env-file mode moves only values from the secrets repo or under credential keys;"
                        + " it stays in config.yaml"));
            } else if (!redactor.redact(s).equals(s)) {
                warnings.add(Finding.warning("secret-stays-inline", assembled.locate(path),
                        "'" + path + "' holds a secret inside a larger value; it stays in config.yaml"));
            }
        }
        return value;
    }

    private static boolean isSensitivePath(String path) {
        String key = path.substring(path.lastIndexOf('.') + 1);
        return Redactor.sensitiveKey(key);
    }

    private static String uniqueName(String source, Map<String, String> taken) {
        String base = source.replaceAll("\\[\\d+]", "").replace("litellm_params.", "")
                .replaceAll("[^A-Za-z0-9]+", "_").replaceAll("^_+|_+$", "").toUpperCase(Locale.ROOT);
        if (base.isEmpty() || Character.isDigit(base.charAt(0))) {
            base = "SECRET_" + base;
        }
        String name = base;
        for (int i = 2; taken.containsKey(name); i++) {
            name = base + "_" + i;
        }
        return name;
    }

    /** systemd EnvironmentFile syntax: NAME="value" with \, ", $ and ` escaped; newlines kept inside the quotes. */
    static String render(Map<String, String> env) {
        StringBuilder out = new StringBuilder("# Written by litellm-deploy: the secrets config.yaml refers to as os.environ/NAME.\n");
        env.forEach((k, v) -> out.append(k).append("=\"")
                .append(v.replace("\\", "\\\\").replace("\"", "\\\"").replace("$", "\\$").replace("`", "\\`"))
                .append("\"\n"));
        return out.toString();
    }
}
