package dev.litellmdeploy.cli.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Everything one demo run creates, and its removal: a private directory (0700, under the user's
 * cache, not /tmp) for the bundle (config.yaml holds the example's secrets), the SSH key and
 * known_hosts, plus what is registered with {@link #onExit} (the container). {@link #close} and a
 * shutdown hook (Ctrl-C, SIGTERM) remove all of it, last registered first; {@link #keep} leaves it.
 * A run killed with SIGKILL cannot clean up: the next demo removes what it left (its directory
 * names its process, which is gone; the container's name is recorded inside).
 */
public final class DemoWorkspace implements AutoCloseable {
    static final String CONTAINER_FILE = "container";
    static final String KEPT_FILE = "kept";

    private final Path dir;
    private final Deque<Runnable> cleanups = new ArrayDeque<>();
    private final Thread hook = new Thread(this::removeAll, "demo-cleanup");
    private boolean kept;

    private DemoWorkspace(Path dir) {
        this.dir = dir;
    }

    /** ${XDG_CACHE_HOME:-~/.cache}/litellm-deploy/demo: private to the user, unlike /tmp. */
    public static Path parent() {
        String cache = System.getenv("XDG_CACHE_HOME");
        Path base = cache != null && !cache.isBlank() ? Path.of(cache) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("litellm-deploy").resolve("demo");
    }

    /** Creates this run's directory (after removing what killed runs left) and arms the shutdown hook. */
    public static DemoWorkspace create(List<String> report) throws IOException {
        Path parent = parent();
        Files.createDirectories(parent, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Files.setPosixFilePermissions(parent, PosixFilePermissions.fromString("rwx------"));
        removeLeftovers(parent, report);
        Path dir = parent.resolve("run-" + ProcessHandle.current().pid() + "-" + UUID.randomUUID().toString().substring(0, 8));
        Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        DemoWorkspace w = new DemoWorkspace(dir);
        Runtime.getRuntime().addShutdownHook(w.hook);
        return w;
    }

    public Path dir() {
        return dir;
    }

    /** Registers a removal to run on close or exit (before the ones registered earlier). */
    public synchronized void onExit(Runnable cleanup) {
        cleanups.push(cleanup);
    }

    /** Leaves everything in place after this JVM ends (demo --keep); marks the directory so a later demo leaves it too. */
    public synchronized void keep() throws IOException {
        kept = true;
        Files.writeString(dir.resolve(KEPT_FILE), "left by `litellm-deploy demo --keep`; remove it by hand\n");
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs anyway and sees kept
        }
    }

    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running
        }
        removeAll();
    }

    private synchronized void removeAll() {
        if (kept) {
            return;
        }
        while (!cleanups.isEmpty()) {
            try {
                cleanups.pop().run();
            } catch (RuntimeException e) {
                // go on removing the rest
            }
        }
        deleteTree(dir);
    }

    private static void removeLeftovers(Path parent, List<String> report) throws IOException {
        try (Stream<Path> runs = Files.list(parent)) {
            for (Path run : runs.toList()) {
                String name = run.getFileName().toString();
                String[] parts = name.split("-");
                if (parts.length != 3 || !parts[0].equals("run") || !parts[1].matches("\\d{1,10}") || Files.exists(run.resolve(KEPT_FILE))
                        || ProcessHandle.of(Long.parseLong(parts[1])).map(ProcessHandle::isAlive).orElse(false)) {
                    continue;
                }
                Path container = run.resolve(CONTAINER_FILE);
                if (Files.isRegularFile(container)) {
                    String c = Files.readString(container).strip();
                    if (c.matches("litellm-deploy-demo-[0-9a-f]{8}")) {
                        DemoHost.remove(c);
                        report.add("container " + c);
                    }
                }
                deleteTree(run);
                report.add(run.toString());
            }
        }
    }

    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            List<Path> all = new ArrayList<>(walk.sorted(Comparator.reverseOrder()).toList());
            for (Path p : all) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // best effort: what is left is named by `demo --keep`'s message and removed by the next demo
        }
    }
}
