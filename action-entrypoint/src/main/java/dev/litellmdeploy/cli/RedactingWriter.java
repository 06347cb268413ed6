package dev.litellmdeploy.cli;

import java.io.IOException;
import java.io.Writer;
import java.util.List;

import dev.litellmdeploy.deployer.bundle.SecretMask;

/**
 * The one place every line of output passes on its way out in action mode: each known secret is
 * replaced by *** before a line is written (whole lines, so a secret split across writes is still
 * caught). Fed with every secret value and the SSH key's lines.
 */
public final class RedactingWriter extends Writer {
    private final Writer target;
    private final SecretMask mask;
    private final StringBuilder line = new StringBuilder();

    public RedactingWriter(Writer target, List<String> secrets) {
        this.target = target;
        this.mask = new SecretMask(secrets, "***");
    }

    public String redact(String text) {
        return mask.apply(text);
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
