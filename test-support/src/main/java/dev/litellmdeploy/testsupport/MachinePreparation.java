package dev.litellmdeploy.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.TimeUnit;

/**
 * Runs the project's {@code tools/prepare-host} once per JVM: a Docker engine that answers
 * and the {@code debian:bookworm} base image, installed or built offline where needed.
 * On a machine that already has both it only checks (well under a second).
 */
public final class MachinePreparation {
    private static boolean done;

    private MachinePreparation() {
    }

    public static synchronized void ensureReady() {
        if (done) {
            return;
        }
        Path script = projectRoot().resolve("tools/prepare-host");
        try {
            Process process = new ProcessBuilder("bash", script.toString()).inheritIO().start();
            if (!process.waitFor(15, TimeUnit.MINUTES) || process.exitValue() != 0) {
                throw new IllegalStateException("tools/prepare-host failed (exit " + process.exitValue()
                        + "): the machine has no usable Docker engine or base image; see its output above");
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + script + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while preparing the machine", e);
        }
        done = true;
    }

    /** The checkout's root: the system property Maven sets, else the nearest parent with tools/prepare-host. */
    /** The nginx .deb files tools/prepare-host cached for the blue-green tests (the test host has no package mirror). */
    public static java.util.List<Path> nginxPackages() {
        ensureReady();
        String cache = System.getenv("LITELLM_DEPLOY_CACHE");
        Path dir = cache != null ? Path.of(cache) : Path.of(System.getenv().getOrDefault("XDG_CACHE_HOME",
                System.getProperty("user.home") + "/.cache"), "litellm-deploy");
        try (java.util.stream.Stream<Path> files = java.nio.file.Files.list(dir.resolve("nginx-debs"))) {
            java.util.List<Path> debs = files.filter(p -> p.getFileName().toString().endsWith(".deb")).sorted().toList();
            if (debs.size() < 2) {
                throw new IllegalStateException("tools/prepare-host did not cache the nginx packages in " + dir.resolve("nginx-debs"));
            }
            return debs;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    public static Path projectRoot() {
        String configured = System.getProperty("litellmdeploy.projectRoot");
        if (configured != null && Files.isRegularFile(Paths.get(configured, "tools/prepare-host"))) {
            return Paths.get(configured);
        }
        for (Path dir = Paths.get("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("tools/prepare-host"))) {
                return dir;
            }
        }
        throw new IllegalStateException("cannot find tools/prepare-host above " + Paths.get("").toAbsolutePath());
    }
}
