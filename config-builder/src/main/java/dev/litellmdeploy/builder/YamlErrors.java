package dev.litellmdeploy.builder;

import java.util.Arrays;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.tokens.Token;

/**
 * Turns SnakeYAML errors into findings without leaking: SnakeYAML's own messages quote the
 * offending line (which in a secrets file holds a secret), so only the problem and its
 * position are kept, with anything quoted in the problem blanked except YAML's own token names
 * ({@code '<block mapping start>'}, {@code '<scalar>'}), which PyYAML prints the same way and
 * which say what went wrong.
 */
final class YamlErrors {
    /** The parser's token names ("<block end>", "<scalar>", "-", "?"...): never text from the input. */
    private static final Set<String> TOKEN_NAMES = Arrays.stream(Token.ID.values()).map(Token.ID::toString).collect(Collectors.toSet());
    private static final Pattern QUOTED = Pattern.compile("'([^'\\n]{2,})'|\"([^\"\\n]{2,})\"|`([^`\\n]{2,})`");
    private YamlErrors() {
    }

    static Finding toFinding(String code, String file, YAMLException e) {
        if (e instanceof MarkedYAMLException marked && marked.getProblemMark() != null) {
            Mark mark = marked.getProblemMark();
            String problem = sanitize(marked.getProblem());
            return Finding.error(code, Location.of(file, mark.getLine() + 1),
                    "not valid YAML: " + problem + " (column " + (mark.getColumn() + 1) + ")");
        }
        return Finding.error(code, Location.of(file, 0), "not valid YAML: " + sanitize(firstLine(e.getMessage())));
    }

    /** Keeps the words of a parser problem and its token names, blanks anything else it quotes ('\t' and other one-character quotes stay). */
    static String sanitize(String problem) {
        if (problem == null) {
            return "syntax error";
        }
        Matcher m = QUOTED.matcher(firstLine(problem));
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            int group = m.group(1) != null ? 1 : m.group(2) != null ? 2 : 3;
            String quote = m.group().substring(0, 1);
            String kept = TOKEN_NAMES.contains(m.group(group)) ? m.group(group) : "…";
            m.appendReplacement(out, Matcher.quoteReplacement(quote + kept + quote));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "syntax error";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
