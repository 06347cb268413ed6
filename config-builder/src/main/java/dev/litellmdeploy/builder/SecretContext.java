package dev.litellmdeploy.builder;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import dev.litellmdeploy.builder.secrets.SecretSource;

/**
 * The merged secrets: one nested map for the templates, where each key came from (its file in
 * {@code origins}; file, line and whether it was encrypted in {@code sources}), and every
 * secret string (what redaction hides and the env-file mode moves out of config.yaml).
 */
public record SecretContext(Map<String, Object> values, Map<String, String> origins, Map<String, SecretSource> sources) {

    public static SecretContext empty() {
        return new SecretContext(new LinkedHashMap<>(), new LinkedHashMap<>(), new LinkedHashMap<>());
    }

    /** Every dotted path to a value, e.g. {@code providers.muffin.api_key}. */
    public Set<String> paths() {
        Set<String> out = new TreeSet<>();
        collectPaths("", values, out);
        return out;
    }

    /** Dotted paths of the leaves (values that are not maps). */
    public Map<String, Object> leaves() {
        Map<String, Object> out = new LinkedHashMap<>();
        collectLeaves("", values, out);
        return out;
    }

    /** The secret strings, longest first (so redaction replaces "abc123" before "abc"). */
    public List<String> secretStrings() {
        List<String> out = new ArrayList<>();
        for (Object leaf : leaves().values()) {
            collectStrings(leaf, out);
        }
        List<String> unique = new ArrayList<>(new TreeSet<>(out));
        unique.sort((a, b) -> Integer.compare(b.length(), a.length()));
        return Collections.unmodifiableList(unique);
    }

    private static void collectStrings(Object value, List<String> out) {
        if (value instanceof String s && !s.isEmpty()) {
            out.add(s);
        } else if (value instanceof List<?> list) {
            list.forEach(v -> collectStrings(v, out));
        } else if (value instanceof Map<?, ?> map) {
            map.values().forEach(v -> collectStrings(v, out));
        }
    }

    private static void collectPaths(String prefix, Map<?, ?> map, Set<String> out) {
        for (Map.Entry<?, ?> e : map.entrySet()) {
            String path = prefix + e.getKey();
            out.add(path);
            if (e.getValue() instanceof Map<?, ?> child) {
                collectPaths(path + ".", child, out);
            }
        }
    }

    private static void collectLeaves(String prefix, Map<?, ?> map, Map<String, Object> out) {
        for (Map.Entry<?, ?> e : map.entrySet()) {
            String path = prefix + e.getKey();
            if (e.getValue() instanceof Map<?, ?> child) {
                collectLeaves(path + ".", child, out);
            } else {
                out.put(path, e.getValue());
            }
        }
    }
}
