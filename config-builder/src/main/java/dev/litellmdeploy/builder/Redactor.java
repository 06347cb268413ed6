package dev.litellmdeploy.builder;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Hides secrets in everything shown to people: every known secret string wherever it occurs, and
 * any string under a key that names a credential (api_key, master_key, *token*, *secret*,
 * password...) unless it is an {@code os.environ/} reference.
 */
public final class Redactor {
    public static final String MARKER = "<redacted>";
    /** Shorter strings are only hidden as whole values: replacing "ab" everywhere would garble the text. */
    private static final int MIN_SUBSTRING_LENGTH = 4;
    private static final Pattern SENSITIVE_KEY = Pattern.compile(
            "(?i).*(api_?key|master_?key|secret|password|passwd|token|credential|private_?key|access_?key|auth).*");

    private final List<String> secrets;

    public Redactor(Collection<String> secrets) {
        List<String> sorted = new ArrayList<>(secrets.stream().filter(s -> s != null && !s.isEmpty()).distinct().toList());
        sorted.sort((a, b) -> Integer.compare(b.length(), a.length()));
        this.secrets = List.copyOf(sorted);
    }

    public List<String> secrets() {
        return secrets;
    }

    public static boolean sensitiveKey(String key) {
        return SENSITIVE_KEY.matcher(key).matches();
    }

    /** Replaces every secret in free text (log lines, messages, diffs). */
    public String redact(String text) {
        if (text == null) {
            return null;
        }
        String out = text;
        for (String secret : secrets) {
            if (secret.length() >= MIN_SUBSTRING_LENGTH || out.equals(secret)) {
                out = out.replace(secret, MARKER);
            }
        }
        return out;
    }

    /** A copy of a parsed config with secret values replaced by {@link #MARKER}. */
    public Object redactTree(Object value) {
        return redactTree(null, value);
    }

    private Object redactTree(String key, Object value) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> out.put(String.valueOf(k), redactTree(String.valueOf(k), v)));
            return out;
        }
        if (value instanceof List<?> list) {
            return list.stream().map(v -> redactTree(key, v)).toList();
        }
        if (value instanceof String s) {
            if (key != null && sensitiveKey(key) && !s.startsWith("os.environ/") && !s.isEmpty()) {
                return MARKER;
            }
            return redact(s);
        }
        return value;
    }

    /** String values under credential-like keys in a config (what a prebuilt config's secrets are). */
    public static List<String> sensitiveValues(Object config) {
        List<String> out = new ArrayList<>();
        collectSensitive(null, config, out);
        return out;
    }

    private static void collectSensitive(String key, Object value, List<String> out) {
        if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> collectSensitive(String.valueOf(k), v, out));
        } else if (value instanceof List<?> list) {
            list.forEach(v -> collectSensitive(key, v, out));
        } else if (value instanceof String s && key != null && sensitiveKey(key) && !s.startsWith("os.environ/") && !s.isEmpty()) {
            out.add(s);
        }
    }
}
