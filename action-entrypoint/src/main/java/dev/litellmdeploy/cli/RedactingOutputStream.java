package dev.litellmdeploy.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import dev.litellmdeploy.deployer.bundle.SecretRegistry;

/**
 * Standard output and error of the CLI process, through a {@link RedactingWriter}: console lines,
 * --json, library log lines (slf4j-simple writes to System.err) and error messages all pass here.
 */
final class RedactingOutputStream extends OutputStream {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final RedactingWriter writer;

    private RedactingOutputStream(OutputStream target) {
        this.writer = new RedactingWriter(new OutputStreamWriter(target, StandardCharsets.UTF_8), SecretRegistry.global(), "<redacted>");
    }

    /** Replaces System.out and System.err with redacting streams (the real entry point only; tests check with LeakGuard). */
    static void installOnStandardStreams() {
        System.setOut(new PrintStream(new RedactingOutputStream(new java.io.FileOutputStream(java.io.FileDescriptor.out)), true,
                StandardCharsets.UTF_8));
        System.setErr(new PrintStream(new RedactingOutputStream(new java.io.FileOutputStream(java.io.FileDescriptor.err)), true,
                StandardCharsets.UTF_8));
    }

    @Override
    public synchronized void write(int b) throws IOException {
        bytes.write(b);
        if (b == '\n' || b == '\r') {
            drain();
        }
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) throws IOException {
        for (int i = off; i < off + len; i++) {
            write(b[i]);
        }
    }

    private void drain() throws IOException {
        writer.write(bytes.toString(StandardCharsets.UTF_8));
        bytes.reset();
        writer.flush();
    }

    @Override
    public synchronized void flush() throws IOException {
        if (bytes.size() > 4096) {
            drain();
        }
        writer.flush();
    }

    @Override
    public synchronized void close() throws IOException {
        drain();
        writer.close();
    }
}
