package dev.litellmdeploy.testsupport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Python virtual environment on this machine holding exactly the wheels of a {@link RealLiteLlm}
 * wheelhouse (installed by the real uv with {@code --no-index}), for tests that run LiteLLM's own
 * code in-process rather than as a service. It uses Debian's CPython 3.11 ({@code /usr/bin/python3.11},
 * the interpreter of the test host and of the wheelhouse's cp311 wheels). Cached under
 * {@code ~/.cache/litellm-deploy/venv/VERSION-REQUIREMENTS_DIGEST} ({@link MachinePreparation#cacheDir()}) (about 2 s to make from uv's cache).
 */
public final class LiteLlmVenv {
    /** Debian bookworm's python3.11, the one the wheelhouse is for. */
    static final Path PYTHON = Path.of("/usr/bin/python3.11");

    private LiteLlmVenv() {
    }

    /** The venv's python for this wheelhouse, made once; fails with the command that fixes a missing prerequisite. */
    public static synchronized Path python(RealLiteLlm litellm) {
        if (!Files.isExecutable(PYTHON)) {
            throw new IllegalStateException(PYTHON + " is missing: the LiteLLM wheelhouse is for CPython 3.11."
                    + " Install it: apt-get install -y python3.11 python3.11-venv");
        }
        Path uv = litellm.uvArchive().getParent().resolve("bin/uv");
        Path requirements = litellm.wheelhouse().resolve("requirements.txt");
        try {
            Path dir = MachinePreparation.cacheDir().resolve("venv").resolve(litellm.version() + "-" + digest(requirements).substring(0, 12));
            Path python = dir.resolve("bin/python");
            if (Files.exists(dir.resolve(".complete"))) {
                return python;
            }
            run(List.of(uv.toString(), "venv", "-q", "--clear", "--python", PYTHON.toString(), dir.toString()));
            run(List.of(uv.toString(), "pip", "install", "-q", "--python", python.toString(), "--no-index", "--find-links",
                    litellm.wheelhouse().toString(), "--cache-dir", MachinePreparation.cacheDir().resolve("uv-cache").toString(), "-r", requirements.toString()));
            Files.writeString(dir.resolve(".complete"), litellm.version() + "\n");
            return python;
        } catch (IOException e) {
            throw new IllegalStateException("cannot make the LiteLLM " + litellm.version() + " venv: " + e.getMessage(), e);
        }
    }

    private static void run(List<String> command) throws IOException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!process.waitFor(10, TimeUnit.MINUTES) || process.exitValue() != 0) {
                throw new IOException(String.join(" ", command) + " failed:\n" + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private static String digest(Path file) throws IOException {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
