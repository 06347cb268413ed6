package dev.litellmdeploy.builder;

import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Turns SnakeYAML errors into findings without leaking: SnakeYAML's own messages quote the
 * offending line (which in a secrets file holds a secret), so only the problem and its
 * position are kept, with anything quoted in the problem blanked.
 */
final class YamlErrors {
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

    /** Keeps the words of a parser problem, blanks what it quotes ('\t' and other one-character quotes stay). */
    static String sanitize(String problem) {
        if (problem == null) {
            return "syntax error";
        }
        return firstLine(problem)
                .replaceAll("'[^'\\n]{2,}'", "'…'")
                .replaceAll("\"[^\"\\n]{2,}\"", "\"…\"")
                .replaceAll("`[^`\\n]{2,}`", "`…`");
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "syntax error";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
