package dev.litellmdeploy.testsupport;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import dev.litellmdeploy.builder.SecretsLoader;

/**
 * The secret-leak guard of the test suite. Registered for every test of the deployer and the
 * entrypoint (JUnit extension auto-detection, see META-INF/services), it captures each test's
 * standard output and error and everything the test hands to {@link #scan} (CLI output, job
 * summaries, GitHub request bodies, deploy messages, the test hosts' journals), and fails the test
 * when any known secret appears: the example secrets repo's values, every generated SSH key and
 * passphrase, and whatever a test registers with {@link #secret}. A hit names where, never the value.
 * The only exception: GitHub's {@code ::add-mask::} lines, which must carry the value.
 */
public final class LeakGuard implements BeforeEachCallback, AfterEachCallback {
    private static final Set<String> SECRETS = ConcurrentHashMap.newKeySet();
    private static final List<String[]> CAPTURED = java.util.Collections.synchronizedList(new ArrayList<>());
    private static volatile ByteArrayOutputStream console;
    private static PrintStream originalOut;
    private static PrintStream originalErr;

    static {
        try {
            for (String s : new SecretsLoader().load(MachinePreparation.projectRoot().resolve("examples/secrets")).secretStrings()) {
                secret(s);
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the example secrets for the leak guard", e);
        }
    }

    /** A value that must never appear in any output (values under 8 characters are too common to check). */
    public static void secret(String value) {
        if (value != null && value.strip().length() >= 8) {
            SECRETS.add(value.strip());
        }
    }

    /** A key: its whole text and every line but the PEM armour. */
    public static void secretMultiLine(String text) {
        secret(text);
        for (String line : text.split("\\r?\\n")) {
            if (!line.startsWith("-----")) {
                secret(line);
            }
        }
    }

    /** Hands output to the guard (checked when the test ends); returns it for chaining. */
    public static String scan(String where, String text) {
        if (text != null) {
            CAPTURED.add(new String[] {where, text});
        }
        return text;
    }

    /** Checks text now (for output outside a test method, e.g. a host's journal at the end of a class). */
    public static void check(String where, String text) {
        String hit = findLeak(where, text);
        if (hit != null) {
            throw new AssertionError(hit);
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        CAPTURED.clear();
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        console = buffer;
        originalOut = System.out;
        originalErr = System.err;
        System.setOut(new PrintStream(new Tee(originalOut, buffer), true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(new Tee(originalErr, buffer), true, StandardCharsets.UTF_8));
    }

    @Override
    public void afterEach(ExtensionContext context) {
        System.out.flush();
        System.err.flush();
        System.setOut(originalOut);
        System.setErr(originalErr);
        List<String[]> all = new ArrayList<>(CAPTURED);
        all.add(new String[] {"standard output/error", console.toString(StandardCharsets.UTF_8)});
        CAPTURED.clear();
        for (String[] c : all) {
            check(c[0] + " of " + context.getDisplayName(), c[1]);
        }
    }

    /** ::add-mask:: lines are the one place a secret is written on purpose: the runner reads and hides them. */
    private static String findLeak(String where, String output) {
        String text = output.replaceAll("(?m)^::add-mask::.*$", "::add-mask::");
        for (String s : SECRETS) {
            int at = text.indexOf(s);
            if (at >= 0) {
                int line = (int) text.substring(0, at).chars().filter(c -> c == '\n').count() + 1;
                return "SECRET LEAK: a known secret (" + s.length() + " characters) appears in " + where + " at line " + line;
            }
        }
        return null;
    }

    /** Writes to the real stream and the capture. */
    private static final class Tee extends OutputStream {
        private final OutputStream a;
        private final OutputStream b;

        Tee(OutputStream a, OutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public void write(int x) throws java.io.IOException {
            a.write(x);
            synchronized (b) {
                b.write(x);
            }
        }

        @Override
        public void write(byte[] bytes, int off, int len) throws java.io.IOException {
            a.write(bytes, off, len);
            synchronized (b) {
                b.write(bytes, off, len);
            }
        }

        @Override
        public void flush() throws java.io.IOException {
            a.flush();
        }
    }
}
