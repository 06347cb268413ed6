package dev.litellmdeploy.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.TimeUnit;

/**
 * Runs the project's {@code tools/prepare-host} once per JVM: a Docker engine that answers,
 * the {@code debian:bookworm} base image and shellcheck, installed or built offline where needed.
 * On a machine that already has them it only checks (well under a second).
 */
public final class MachinePreparation {
    private static boolean done;
    private static boolean shellcheckDone;

    private MachinePreparation() {
    }

    public static synchronized void ensureReady() {
        if (done) {
            return;
        }
        prepareHost("the machine has no usable Docker engine or base image");
        done = true;
        shellcheckDone = true;
    }

    /** Only the shellcheck part of {@code tools/prepare-host} (installed as root on Debian; elsewhere it says how): no Docker needed. */
    public static synchronized void ensureShellcheck() {
        if (!shellcheckDone) {
            prepareHost("shellcheck could not be prepared", "shellcheck");
            shellcheckDone = true;
        }
    }

    private static void prepareHost(String whatFailed, String... args) {
        Path script = projectRoot().resolve("tools/prepare-host");
        java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of("bash", script.toString()));
        command.addAll(java.util.List.of(args));
        try {
            Process process = new ProcessBuilder(command).inheritIO().start();
            if (!process.waitFor(15, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IllegalStateException("tools/prepare-host did not finish within 15 min: " + whatFailed);
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException("tools/prepare-host failed (exit " + process.exitValue() + "): " + whatFailed
                        + "; see its output above");
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + script + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while preparing the machine", e);
        }
    }

    /** The checkout's root: the system property Maven sets, else the nearest parent with tools/prepare-host. */
    /** The cache tools/prepare-host and tools/prepare-wheelhouse use: $LITELLM_DEPLOY_CACHE, else $XDG_CACHE_HOME/litellm-deploy (~/.cache). */
    public static Path cacheDir() {
        String cache = System.getenv("LITELLM_DEPLOY_CACHE");
        return cache != null ? Path.of(cache) : Path.of(System.getenv().getOrDefault("XDG_CACHE_HOME",
                System.getProperty("user.home") + "/.cache"), "litellm-deploy");
    }

    /** The nginx .deb files tools/prepare-host cached for the blue-green tests (the test host has no package mirror). */
    public static java.util.List<Path> nginxPackages() {
        ensureReady();
        Path dir = cacheDir();
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
