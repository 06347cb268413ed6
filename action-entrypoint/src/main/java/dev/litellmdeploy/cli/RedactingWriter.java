package dev.litellmdeploy.cli;

import java.io.IOException;
import java.io.Writer;
import java.util.List;

/**
 * The one place every line of output passes on its way out in action mode: each known secret is
 * replaced by *** before a line is written (whole lines, so a secret split across writes is still
 * caught). Fed with every secret value and the SSH key's lines.
 */
public final class RedactingWriter extends Writer {
    private final Writer target;
    private final List<String> secrets;
    private final StringBuilder line = new StringBuilder();

    public RedactingWriter(Writer target, List<String> secrets) {
        this.target = target;
        this.secrets = secrets.stream().filter(s -> s != null && s.length() >= 4).distinct()
                .sorted((a, b) -> Integer.compare(b.length(), a.length())).toList();
    }

    public String redact(String text) {
        String out = text;
        for (String s : secrets) {
            out = out.replace(s, "***");
        }
        return out;
    }

    @Override
    public synchronized void write(char[] chars, int off, int len) throws IOException {
        for (int i = off; i < off + len; i++) {
            line.append(chars[i]);
            if (chars[i] == '\n') {
                target.write(redact(line.toString()));
                line.setLength(0);
            }
        }
    }

    @Override
    public synchronized void flush() throws IOException {
        if (line.length() > 0 && line.indexOf("\n") < 0 && line.length() > 4096) {
            target.write(redact(line.toString()));
            line.setLength(0);
        }
        target.flush();
    }

    @Override
    public synchronized void close() throws IOException {
        if (line.length() > 0) {
            target.write(redact(line.toString()));
            line.setLength(0);
        }
        target.flush();
    }
}
