package dev.litellmdeploy.builder;

import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Writes template values as YAML so that they parse back to exactly the same value: strings as
 * double-quoted scalars with every character that could change the meaning escaped, numbers and
 * booleans as themselves, maps and lists as flow collections.
 */
public final class YamlScalars {
    /** Characters that may be pasted into a larger plain or quoted scalar without changing its meaning. */
    private static final Pattern EMBEDDABLE = Pattern.compile("[A-Za-z0-9._~/@+=%-]*");

    private YamlScalars() {
    }

    public static String toYaml(Object value) {
        if (value instanceof String s) {
            return quote(s);
        }
        if (value instanceof Boolean || value instanceof Integer || value instanceof Long
                || value instanceof java.math.BigInteger) {
            return value.toString();
        }
        if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            if (Double.isNaN(d)) {
                return ".nan";
            }
            if (Double.isInfinite(d)) {
                return d > 0 ? ".inf" : "-.inf";
            }
            return value.toString();
        }
        if (value instanceof Map<?, ?> map) {
            StringBuilder out = new StringBuilder("{");
            for (Iterator<? extends Map.Entry<?, ?>> it = map.entrySet().iterator(); it.hasNext();) {
                Map.Entry<?, ?> e = it.next();
                out.append(quote(String.valueOf(e.getKey()))).append(": ").append(toYaml(e.getValue()));
                out.append(it.hasNext() ? ", " : "");
            }
            return out.append('}').toString();
        }
        if (value instanceof List<?> list) {
            StringBuilder out = new StringBuilder("[");
            for (int i = 0; i < list.size(); i++) {
                out.append(i > 0 ? ", " : "").append(toYaml(list.get(i)));
            }
            return out.append(']').toString();
        }
        if (value == null) {
            return "null";
        }
        return quote(value.toString());
    }

    /** True when the text can sit inside a larger scalar ({@code https://{{host}}/v1}) without quoting. */
    public static boolean embeddable(String text) {
        return EMBEDDABLE.matcher(text).matches();
    }

    /** A YAML double-quoted scalar for any string. */
    public static String quote(String s) {
        StringBuilder out = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                case '\r' -> out.append("\\r");
                case '\0' -> out.append("\\0");
                case '\u0085' -> out.append("\\N");
                case '\u2028' -> out.append("\\L");
                case '\u2029' -> out.append("\\P");
                default -> {
                    if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                        out.append(c).append(s.charAt(++i));
                    } else if (printable(c)) {
                        out.append(c);
                    } else {
                        out.append(String.format("\\u%04X", (int) c));
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    /** YAML 1.1's printable set as SnakeYAML's reader enforces it (surrogate pairs handled by the caller). */
    private static boolean printable(char c) {
        return c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0x7E)
                || (c >= 0xA0 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFFFD);
    }
}
