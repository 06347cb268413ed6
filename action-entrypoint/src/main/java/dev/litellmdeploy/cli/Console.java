package dev.litellmdeploy.cli;

import java.io.PrintWriter;

import dev.litellmdeploy.builder.Finding;
import dev.litellmdeploy.builder.Severity;

/**
 * Where the CLI talks to people: results on stdout, problems and progress on stderr. Colour only
 * on a terminal and never when NO_COLOR is set (https://no-color.org). Messages pass {@link Printable}.
 */
public final class Console {
    private final PrintWriter out;
    private final PrintWriter err;
    private final boolean color;

    public Console(PrintWriter out, PrintWriter err) {
        this.out = out;
        this.err = err;
        String noColor = System.getenv("NO_COLOR");
        this.color = System.console() != null && (noColor == null || noColor.isEmpty()) && !"dumb".equals(System.getenv("TERM"));
    }

    public PrintWriter out() {
        return out;
    }

    public PrintWriter err() {
        return err;
    }

    public void finding(Finding f) {
        String label = f.severity() == Severity.ERROR ? paint("error", "31") : paint("warning", "33");
        String where = f.location().toString();
        err.println((where.isEmpty() ? "" : Printable.value(where) + ": ") + label + " [" + f.code() + "] " + Printable.text(f.message()));
        err.flush();
    }

    public void problem(String message) {
        err.println(paint("error", "31") + ": " + Printable.text(message));
        err.flush();
    }

    public void hint(String message) {
        err.println("hint: " + Printable.text(message));
        err.flush();
    }

    public String bold(String s) {
        return paint(s, "1");
    }

    private String paint(String s, String code) {
        return color ? "\u001b[" + code + "m" + s + "\u001b[0m" : s;
    }
}
