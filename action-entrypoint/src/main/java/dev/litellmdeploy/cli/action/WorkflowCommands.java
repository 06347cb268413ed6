package dev.litellmdeploy.cli.action;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * GitHub Actions workflow commands on stdout (https://docs.github.com/actions/reference/workflow-commands-for-github-actions),
 * with the runner's escaping: data escapes %, CR and LF; properties also : and ,. GitHub keeps 10 error and 10 warning
 * annotations per step: the first 9 of each kind are annotations, the rest plain log lines, and {@link #closeAnnotations}
 * adds one annotation per kind that says how many more there were and that the job summary lists them all
 * ({@link #all}).
 */
public final class WorkflowCommands {
    /** Annotations of one kind GitHub keeps per step. */
    static final int KEPT = 10;
    /** Lines too common to mask: a mask of `{` would turn every brace of the job log into ***. */
    private static final Set<String> COMMON = Set.of("true", "false", "null", "none", "yes", "no", "on", "off");
    private static final int MIN_MASK = 4;

    private final PrintWriter out;
    private final Kind errors = new Kind("error");
    private final Kind warnings = new Kind("warning");

    public WorkflowCommands(PrintWriter out) {
        this.out = out;
    }

    /**
     * Masks a secret in all later log output; a multi-line value is masked line by line (the runner masks per line), skipping
     * lines too short or too common to mask safely ({@link #maskable}); those never reach the log either, since every output
     * of this tool is filtered by the whole value and its lines.
     */
    public void mask(String secret) {
        if (secret == null) {
            return;
        }
        for (String line : secret.split("\\r?\\n")) {
            if (maskable(line)) {
                out.println("::add-mask::" + data(line.strip()));
            }
        }
        out.flush();
    }

    /** At least 4 characters, 4 of them letters or digits, and not a word JSON or YAML is full of (true, null...). */
    static boolean maskable(String line) {
        String s = line.strip();
        String core = s.replaceAll("[^\\p{L}\\p{N}]", "");
        return s.length() >= MIN_MASK && core.length() >= MIN_MASK && !COMMON.contains(core.toLowerCase(Locale.ROOT));
    }

    public void group(String title) {
        out.println("::group::" + data(title));
        out.flush();
    }

    public void endGroup() {
        out.println("::endgroup::");
        out.flush();
    }

    public void error(String file, int line, String message) {
        StringBuilder props = new StringBuilder();
        String where = "";
        if (file != null && !file.isEmpty()) {
            props.append(" file=").append(property(file));
            where = file;
            if (line > 0) {
                props.append(",line=").append(line);
                where += ":" + line;
            }
            where += ": ";
        }
        annotate(errors, "::error" + props + "::" + data(message), where + message);
    }

    public void warning(String message) {
        annotate(warnings, "::warning::" + data(message), message);
    }

    /** One kind's annotations: every text, and the command of the 10th, sent at the end when it is the last. */
    private static final class Kind {
        final String name;
        final List<String> texts = new ArrayList<>();
        String tenth;

        Kind(String name) {
            this.name = name;
        }
    }

    private void annotate(Kind kind, String command, String text) {
        kind.texts.add(text);
        if (kind.texts.size() < KEPT) {
            out.println(command);
        } else {
            if (kind.texts.size() == KEPT) {
                kind.tenth = command;
            }
            out.println(kind.name + " (GitHub keeps " + KEPT + " annotations per step; the job summary lists all): " + data(text));
        }
        out.flush();
    }

    /** The 10th annotation of a kind when it was the last, else one that says how many more there were and where they all are. */
    public void closeAnnotations() {
        for (Kind kind : List.of(errors, warnings)) {
            int more = kind.texts.size() - (KEPT - 1);
            if (more == 1) {
                out.println(kind.tenth);
            } else if (more > 1) {
                out.println("::" + kind.name + "::" + more + " more " + kind.name + "s (GitHub keeps " + KEPT
                        + " annotations per step): the job summary lists all " + kind.texts.size());
            }
        }
        out.flush();
    }

    /** Every error and warning of the run (file:line: message) when there were more than GitHub keeps, else nothing. */
    public List<String> overflowed() {
        List<String> all = new ArrayList<>();
        for (Kind kind : List.of(errors, warnings)) {
            if (kind.texts.size() > KEPT) {
                kind.texts.forEach(t -> all.add(kind.name + ": " + t));
            }
        }
        return all;
    }

    /** Control characters escaped ({@link Printable#commandData}), then the runner's own encoding. */
    static String data(String s) {
        return dev.litellmdeploy.cli.Printable.commandData(s).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A");
    }

    static String property(String s) {
        return data(s).replace(":", "%3A").replace(",", "%2C");
    }
}
