package dev.litellmdeploy.deployer;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import dev.litellmdeploy.deployer.remote.RemoteCommandException;
import dev.litellmdeploy.deployer.remote.RemoteHost;

/**
 * One deploy at a time per host: an flock(1) on the state directory's lock file, held by a remote
 * process that lives as long as this SSH channel. Closing the channel releases it; so does a
 * deployer that dies (its connection drops, the process ends, the kernel drops the lock): a stale
 * lock recovers by itself. Who holds it, and since when, is written beside it for the waiter.
 *
 * <p>It is the helper's {@code lock} verb. The same channel first runs the preflight checks (before anything is created) and, once the
 * lock is held, reads the host's state, so these three steps cost one round trip. Each marker's
 * arrival time is kept so the steps are still timed separately.
 */
final class RemoteLock implements AutoCloseable {
    private final RemoteHost.RunningCommand holder;
    final String preflight;
    final String state;
    final Duration preflightTook;
    final Duration lockTook;
    final Duration stateTook;

    private RemoteLock(RemoteHost.RunningCommand holder, String preflight, String state, Duration preflightTook, Duration lockTook,
            Duration stateTook) {
        this.holder = holder;
        this.preflight = preflight;
        this.state = state;
        this.preflightTook = preflightTook;
        this.lockTook = lockTook;
        this.stateTook = stateTook;
    }

    /** Thrown when the preflight part fails; carries its stderr (where sudo says it wants a password). */
    static final class PreflightFailed extends Exception {
        final String stderr;

        PreflightFailed(String stderr) {
            super(stderr);
            this.stderr = stderr;
        }
    }

    static RemoteLock acquire(RemoteHost host, String helperSha, long needKib, String owner, Duration timeout, Consumer<String> progress)
            throws RemoteCommandException, DeployFailedException, PreflightFailed {
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        List<String> errors = java.util.Collections.synchronizedList(new ArrayList<>());
        String info = owner + " since " + Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        long start = System.nanoTime();
        RemoteHost.RunningCommand cmd = host.start(lines::add, errors::add, "lock", helperSha, info, Long.toString(Math.max(1, timeout.toSeconds())),
                Long.toString(needKib));
        long deadline = start + timeout.plusSeconds(60).toNanos();
        StringBuilder preflight = new StringBuilder();
        StringBuilder state = new StringBuilder();
        long preflightAt = 0;
        long lockedAt = 0;
        try {
            while (System.nanoTime() < deadline) {
                String line = lines.poll(200, TimeUnit.MILLISECONDS);
                if (line == null) {
                    if (!cmd.isOpen() && lines.isEmpty()) {
                        break;
                    }
                    continue;
                }
                if (preflightAt == 0) {
                    if (line.equals("PREFLIGHT-OK")) {
                        preflightAt = System.nanoTime();
                    } else {
                        preflight.append(line).append('\n');
                    }
                } else if (lockedAt == 0) {
                    if (line.equals("LOCKED")) {
                        lockedAt = System.nanoTime();
                    } else if (line.startsWith("WAIT ")) {
                        progress.accept("another deploy holds the lock (" + line.substring(5) + "); waiting up to " + timeout.toSeconds() + " s");
                    } else if (line.startsWith("BUSY ")) {
                        cmd.close();
                        throw new DeployFailedException("another deploy holds the lock on " + host.describe() + ": " + line.substring(5)
                                + "; gave up after " + timeout.toSeconds() + " s. Retry when it is done");
                    }
                } else if (line.equals("STATE-END")) {
                    long end = System.nanoTime();
                    return new RemoteLock(cmd, preflight.toString(), state.toString(), Duration.ofNanos(preflightAt - start),
                            Duration.ofNanos(lockedAt - preflightAt), Duration.ofNanos(end - lockedAt));
                } else {
                    state.append(line).append('\n');
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        cmd.close();
        String stderr = String.join("\n", errors);
        if (preflightAt == 0) {
            throw new PreflightFailed(stderr.isBlank() ? "the preflight checks ended without a word" : stderr);
        }
        throw new RemoteCommandException("could not take the deploy lock on " + host.describe()
                + (stderr.isBlank() ? "" : ": " + stderr.strip()), -1, stderr);
    }

    @Override
    public void close() {
        holder.close();
    }
}
