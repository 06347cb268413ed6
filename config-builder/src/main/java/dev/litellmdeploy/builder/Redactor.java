package dev.litellmdeploy.builder;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Hides secrets in everything shown to people, by allow-list: in a config, a string value is shown
 * only when {@link ShownValues} knows it is not secret (model names, ids, numbers, booleans,
 * {@code os.environ/} references, a few non-secret keys; URLs without their credentials); every
 * other string is replaced by {@link #MARKER}. In free text, every known secret string is
 * replaced wherever it occurs. {@link #sensitiveValues} lists what the allow-list hides, so the
 * masks (this class's and the Action's {@code ::add-mask::}) hide exactly those values everywhere.
 */
public final class Redactor {
    public static final String MARKER = "<redacted>";
    /** The first line of config.redacted.yaml; the deployer shows a current release's view in a diff only when it starts so. */
    public static final String HEADER = "# Redacted view of config.yaml (allow-list): every value not known to be safe is " + MARKER;
    /** Shorter strings are only hidden as whole values: replacing "ab" everywhere would garble the text. */
    private static final int MIN_SUBSTRING_LENGTH = 4;
    /** Keys that name a credential: env-file mode moves their values into litellm.env. */
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

    /** A copy of a parsed config with every value the allow-list does not show replaced by {@link #MARKER}. */
    public Object redactTree(Object value) {
        return walk(new ArrayList<>(), value, new ArrayList<>());
    }

    /** Every string the allow-list hides in a config (whole values, and the userinfo and query values of URLs). */
    public static List<String> sensitiveValues(Object config) {
        List<String> hidden = new ArrayList<>();
        new Redactor(List.of()).walk(new ArrayList<>(), config, hidden);
        hidden.removeIf(String::isEmpty);
        return List.copyOf(new LinkedHashSet<>(hidden));
    }

    private Object walk(List<String> path, Object value, List<String> hidden) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> {
                path.add(String.valueOf(k));
                out.put(String.valueOf(k), walk(path, v, hidden));
                path.remove(path.size() - 1);
            });
            return out;
        }
        if (value instanceof List<?> list) {
            return list.stream().map(v -> walk(path, v, hidden)).toList();
        }
        if (value instanceof String s) {
            switch (ShownValues.of(path, s)) {
                case SHOW:
                    return redact(s);
                case URL:
                    UrlRedaction.Result url = UrlRedaction.redact(s, MARKER);
                    hidden.addAll(url.hidden());
                    return redact(url.shown());
                default:
                    hidden.add(s);
                    return MARKER;
            }
        }
        return value instanceof Number || value instanceof Boolean || value == null ? value : hideOther(value, hidden);
    }

    /** Dates, binary and other typed scalars: not on the allow-list either. */
    private static Object hideOther(Object value, List<String> hidden) {
        hidden.add(String.valueOf(value));
        return MARKER;
    }
}
