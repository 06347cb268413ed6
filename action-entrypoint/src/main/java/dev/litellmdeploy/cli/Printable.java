package dev.litellmdeploy.cli;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Text from a config, a bundle or a server made safe to print: control characters are shown as
 * escapes ({@code \n}, {@code \u001b}), so a model name cannot move the cursor, recolour or clear
 * a terminal, and cannot start a line of its own; and no line of such text may begin (after
 * blanks) with {@code ::}, which the Actions runner would read as a workflow command
 * ({@code ::warning::}, {@code ::add-mask::}, {@code ::stop-commands::}). Escaped: C0 and C1
 * controls and DEL, the Unicode line and paragraph separators, and the bidirectional controls
 * that make text read differently from what it is.
 */
public final class Printable {
    private static final String CONTROLS = "[\\p{Cc}\\u2028\\u2029\\u202A-\\u202E\\u2066-\\u2069\\u200E\\u200F\\u061C]";
    private static final Pattern UNSAFE = Pattern.compile(CONTROLS);
    private static final Pattern UNSAFE_BUT_LINE_BREAKS = Pattern.compile("[" + CONTROLS + "&&[^\\n\\t]]");
    private static final Pattern UNSAFE_BUT_CR_LF = Pattern.compile("[" + CONTROLS + "&&[^\\r\\n]]");
    private static final Pattern COMMAND_START = Pattern.compile("(?m)^(\\s*):(?=:)");

    private Printable() {
    }

    /** One value inside a line (a model name, a release id, a host): every control character escaped, newlines too. */
    public static String value(String s) {
        return s == null ? null : commandsDefused(escape(s, UNSAFE));
    }

    /** Values inside a line, joined with ", ". */
    public static String values(List<String> values) {
        return values(values, ", ");
    }

    public static String values(List<String> values, String separator) {
        return values.stream().map(Printable::value).collect(java.util.stream.Collectors.joining(separator));
    }

    /** A message or block of lines (a journal tail, a diff): line breaks and tabs kept, every other control escaped. */
    public static String text(String s) {
        return s == null ? null : commandsDefused(escape(s, UNSAFE_BUT_LINE_BREAKS));
    }

    /** Control characters but CR and LF escaped, for a workflow command's data (the runner %-encodes those). */
    public static String commandData(String s) {
        return s == null ? null : escape(s, UNSAFE_BUT_CR_LF);
    }

    /** Makes a JSON writer escape what Jackson writes raw by default: C1 controls, line separators, bidirectional controls. */
    public static <T extends com.fasterxml.jackson.databind.ObjectMapper> T escapingJson(T mapper) {
        mapper.getFactory().setCharacterEscapes(new JsonEscapes());
        return mapper;
    }

    private static final class JsonEscapes extends com.fasterxml.jackson.core.io.CharacterEscapes {
        private final int[] ascii = standardAsciiEscapesForJSON();

        @Override
        public int[] getEscapeCodesForAscii() {
            return ascii;
        }

        @Override
        public com.fasterxml.jackson.core.SerializableString getEscapeSequence(int ch) {
            return UNSAFE.matcher(String.valueOf((char) ch)).matches()
                    ? new com.fasterxml.jackson.core.io.SerializedString(String.format("\\u%04x", ch)) : null;
        }
    }

    private static String escape(String s, Pattern unsafe) {
        Matcher m = unsafe.matcher(s);
        if (!m.find()) {
            return s;
        }
        StringBuilder out = new StringBuilder();
        do {
            char c = m.group().charAt(0);
            String e = switch (c) {
                case '\n' -> "\\n";
                case '\r' -> "\\r";
                case '\t' -> "\\t";
                default -> String.format("\\u%04x", (int) c);
            };
            m.appendReplacement(out, Matcher.quoteReplacement(e));
        } while (m.find());
        m.appendTail(out);
        return out.toString();
    }

    /** A line that would start with "::" gets its first colon escaped: the runner then reads it as text. */
    private static String commandsDefused(String s) {
        return s.indexOf("::") < 0 ? s : COMMAND_START.matcher(s).replaceAll("$1\\\\u003a");
    }
}
