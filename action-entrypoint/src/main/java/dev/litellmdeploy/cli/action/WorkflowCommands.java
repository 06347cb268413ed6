package dev.litellmdeploy.cli.action;

import java.io.PrintWriter;

/**
 * GitHub Actions workflow commands on stdout (https://docs.github.com/actions/reference/workflow-commands-for-github-actions),
 * with the runner's escaping: data escapes %, CR and LF; properties also : and ,.
 */
public final class WorkflowCommands {
    private final PrintWriter out;

    public WorkflowCommands(PrintWriter out) {
        this.out = out;
    }

    /** Masks a secret in all later log output; a multi-line value is masked line by line (the runner masks per line). */
    public void mask(String secret) {
        if (secret == null) {
            return;
        }
        for (String line : secret.split("\\r?\\n")) {
            if (!line.isBlank()) {
                out.println("::add-mask::" + data(line));
            }
        }
        out.flush();
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
        if (file != null && !file.isEmpty()) {
            props.append(" file=").append(property(file));
            if (line > 0) {
                props.append(",line=").append(line);
            }
        }
        out.println("::error" + props + "::" + data(message));
        out.flush();
    }

    public void warning(String message) {
        out.println("::warning::" + data(message));
        out.flush();
    }

    /** Control characters escaped ({@link Printable#commandData}), then the runner's own encoding. */
    static String data(String s) {
        return dev.litellmdeploy.cli.Printable.commandData(s).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A");
    }

    static String property(String s) {
        return data(s).replace(":", "%3A").replace(",", "%2C");
    }
}
