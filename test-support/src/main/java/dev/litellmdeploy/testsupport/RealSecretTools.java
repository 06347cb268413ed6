package dev.litellmdeploy.testsupport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real sops (built from its Go module by {@code tools/prepare-sops}, cached under ~/.cache/litellm-deploy) and the
 * real age (Debian's package, {@code tools/prepare-host age}), that the encrypted-secrets tests compare with. A missing
 * tool fails the test with the command that fixes it; it never skips.
 */
public final class RealSecretTools {
    /** What a tool printed and its exit status (stdout as bytes: age output is binary). */
    public record Run(int exitCode, byte[] stdout, String stderr) {
        public String out() {
            return new String(stdout, StandardCharsets.UTF_8);
        }
    }

    private static Path sops;

    private RealSecretTools() {
    }

    /** The sops binary (tools/prepare-sops runs once per JVM; seconds once cached). */
    public static synchronized Path sops() {
        if (sops == null) {
            Path script = MachinePreparation.projectRoot().resolve("tools/prepare-sops");
            Run run = exec(Map.of(), null, List.of("bash", script.toString()), 20);
            if (run.exitCode() != 0) {
                throw new AssertionError("tools/prepare-sops failed (exit " + run.exitCode() + "); run `tools/prepare-sops` (it needs Go"
                        + " and the Go module proxy once) and `sudo tools/prepare-host age`:\n" + run.stderr());
            }
            sops = Path.of(run.out().strip());
        }
        requireAge();
        return sops;
    }

    /** age and age-keygen on PATH (tools/prepare-sops installs Debian's package when run as root). */
    public static void requireAge() {
        for (String tool : List.of("age", "age-keygen")) {
            if (exec(Map.of(), null, List.of("sh", "-c", "command -v " + tool), 1).exitCode() != 0) {
                throw new AssertionError(tool + " is not installed; run `sudo tools/prepare-host age` (Debian's age package;"
                        + " macOS: brew install age)");
            }
        }
    }

    /** Runs a tool in {@code dir} with extra environment; a minute at most. */
    public static Run run(Path dir, Map<String, String> env, String... command) {
        return exec(env, dir, List.of(command), 1);
    }

    private static Run exec(Map<String, String> env, Path dir, List<String> command, int minutes) {
        try {
            ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(command));
            pb.environment().keySet().removeIf(k -> k.startsWith("SOPS_"));
            pb.environment().put("SOPS_DISABLE_VERSION_CHECK", "1");
            pb.environment().putAll(env);
            if (dir != null) {
                pb.directory(dir.toFile());
            }
            pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            Process p = pb.start();
            java.util.concurrent.CompletableFuture<byte[]> err = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    return p.getErrorStream().readAllBytes();
                } catch (IOException e) {
                    return new byte[0];
                }
            });
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(minutes, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new AssertionError(command.get(0) + " did not finish within " + minutes + " min");
            }
            return new Run(p.exitValue(), out, new String(err.join(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new AssertionError("cannot run " + command.get(0) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
