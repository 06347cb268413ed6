package dev.litellmdeploy.cli;

import java.io.IOException;
import java.io.Writer;
import java.util.List;

import dev.litellmdeploy.deployer.bundle.SecretRegistry;

/**
 * Masks every known secret in text on its way out, whole lines at a time (so a secret split across
 * writes is still caught). Backed by the live {@link SecretRegistry}: secrets learned later (once
 * the bundle is read) are masked in everything written after. Used for files (job summary,
 * $GITHUB_OUTPUT) and, through {@link RedactingOutputStream}, for standard output and error.
 */
public final class RedactingWriter extends Writer {
    private final Writer target;
    private final SecretRegistry registry;
    private final String marker;
    private final StringBuilder line = new StringBuilder();

    public RedactingWriter(Writer target, SecretRegistry registry, String marker) {
        this.target = target;
        this.registry = registry;
        this.marker = marker;
    }

    /** A writer masking the given values (and everything in the global registry) with ***. */
    public RedactingWriter(Writer target, List<String> secrets) {
        this(target, SecretRegistry.global(), "***");
        registry.add(secrets);
    }

    public String redact(String text) {
        return registry.apply(text, marker);
    }

    @Override
    public synchronized void write(char[] chars, int off, int len) throws IOException {
        for (int i = off; i < off + len; i++) {
            line.append(chars[i]);
            if (chars[i] == '\n' || chars[i] == '\r') {
                target.write(redact(line.toString()));
                line.setLength(0);
            }
        }
    }

    @Override
    public synchronized void flush() throws IOException {
        if (line.length() > 4096) {
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
