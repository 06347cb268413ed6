package dev.litellmdeploy.builder.secrets;

import java.util.Set;
import java.util.regex.Pattern;

/**
 * What sops' YAML library (go-yaml v3, YAML 1.2 core schema) makes of a plain scalar left unencrypted in a sops file
 * (keys ending in _unencrypted, say): null, a bool, an int, a float or the text. This decides the bytes sops' MAC
 * hashed, and so whether the file verifies; quoted scalars are always text. Timestamps stay text, as go-yaml gives them
 * to sops.
 */
final class GoYamlScalars {
    private static final Set<String> NULLS = Set.of("", "~", "null", "Null", "NULL");
    private static final Set<String> TRUE = Set.of("true", "True", "TRUE");
    private static final Set<String> FALSE = Set.of("false", "False", "FALSE");
    private static final Pattern FLOAT = Pattern.compile("^[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?$");
    private static final Pattern INFINITY = Pattern.compile("^[-+]?\\.(inf|Inf|INF)$");
    private static final Pattern NAN = Pattern.compile("^\\.(nan|NaN|NAN)$");

    private GoYamlScalars() {
    }

    static Object resolvePlain(String in) {
        if (NULLS.contains(in)) {
            return null;
        }
        if (TRUE.contains(in)) {
            return Boolean.TRUE;
        }
        if (FALSE.contains(in)) {
            return Boolean.FALSE;
        }
        if (NAN.matcher(in).matches()) {
            return Double.NaN;
        }
        if (INFINITY.matcher(in).matches()) {
            return in.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        }
        char first = in.charAt(0);
        if (!(Character.isDigit(first) || first == '-' || first == '+' || first == '.')) {
            return in;
        }
        String plain = in.replace("_", "");
        Long integer = goParseInt(plain);
        if (integer != null) {
            return SopsValue.integer(integer);
        }
        if (FLOAT.matcher(plain).matches()) {
            try {
                return Double.parseDouble(plain);
            } catch (NumberFormatException e) {
                return in;
            }
        }
        return in;
    }

    /** Go's strconv.ParseInt(s, 0, 64): sign, then 0x / 0o / 0b / a leading 0 (octal) or decimal. */
    private static Long goParseInt(String s) {
        boolean negative = s.startsWith("-");
        String digits = s.startsWith("-") || s.startsWith("+") ? s.substring(1) : s;
        int radix = 10;
        if (digits.startsWith("0x") || digits.startsWith("0X")) {
            radix = 16;
            digits = digits.substring(2);
        } else if (digits.startsWith("0o") || digits.startsWith("0O")) {
            radix = 8;
            digits = digits.substring(2);
        } else if (digits.startsWith("0b") || digits.startsWith("0B")) {
            radix = 2;
            digits = digits.substring(2);
        } else if (digits.length() > 1 && digits.startsWith("0")) {
            radix = 8;
            digits = digits.substring(1);
        }
        if (digits.isEmpty() || digits.startsWith("-") || digits.startsWith("+")) {
            return null;
        }
        try {
            return Long.parseLong((negative ? "-" : "") + digits, radix);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
