package dev.litellmdeploy.deployer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import dev.litellmdeploy.deployer.remote.ExecResult;
import dev.litellmdeploy.deployer.remote.RemoteCommandException;
import dev.litellmdeploy.deployer.remote.RemoteHost;
import dev.litellmdeploy.deployer.ssh.TarStream;

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
    private final BlockingQueue<String> lines;
    private final List<String> errors;
    private final String label;
    private boolean broken;
    final String preflight;
    final String state;
    final Duration preflightTook;
    final Duration lockTook;
    final Duration stateTook;

    private RemoteLock(RemoteHost.RunningCommand holder, BlockingQueue<String> lines, List<String> errors, String label, String preflight,
            String state, Duration preflightTook, Duration lockTook, Duration stateTook) {
        this.holder = holder;
        this.lines = lines;
        this.errors = errors;
        this.label = label;
        this.broken = !state.lines().anyMatch("requests=1"::equals); // a helper that reads no requests (the in-process test host)
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
        return acquire(host, helperSha, needKib, owner, timeout, progress, null);
    }

    /**
     * Like the other, and sends {@code ahead} (a verb and its arguments) on the channel right after it opens, before
     * the state comes back: the helper runs it once the state is read, under the lock, and its reply is {@link #ahead}'s.
     * It costs no round trip of its own; the verb must not depend on anything the deployer decides from the state.
     */
    static RemoteLock acquire(RemoteHost host, String helperSha, long needKib, String owner, Duration timeout, Consumer<String> progress,
            String[] ahead) throws RemoteCommandException, DeployFailedException, PreflightFailed {
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        List<String> errors = java.util.Collections.synchronizedList(new ArrayList<>());
        String info = owner + " since " + Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        long start = System.nanoTime();
        RemoteHost.RunningCommand cmd = host.start(lines::add, errors::add, "lock", helperSha, info, Long.toString(Math.max(1, timeout.toSeconds())),
                Long.toString(needKib));
        boolean sentAhead = ahead != null && cmd.readsInput();
        if (sentAhead) {
            cmd.send(request(ahead[0], java.util.Arrays.copyOfRange(ahead, 1, ahead.length)));
        }
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
                    RemoteLock lock = new RemoteLock(cmd, lines, errors, host.describe(), preflight.toString(), state.toString(),
                            Duration.ofNanos(preflightAt - start), Duration.ofNanos(lockedAt - preflightAt), Duration.ofNanos(end - lockedAt));
                    if (sentAhead && !lock.broken) {
                        lock.ahead = new Pending(ahead[0]);
                        lock.pending.add(lock.ahead);
                    }
                    return lock;
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

    /** Whether {@link #call} runs verbs on this lock's channel (false once a request failed there: calls go back to channels of their own). */
    synchronized boolean serves() {
        return !broken && holder.isOpen();
    }

    /** A request sent on the channel whose reply has not been read yet (replies come in the order of the requests). */
    private static final class Pending {
        final String verb;
        final String upload; // what an upload sent ("3 files"), null for a verb
        ExecResult reply;

        Pending(String verb) {
            this(verb, null);
        }

        Pending(String verb, String upload) {
            this.verb = verb;
            this.upload = upload;
        }
    }

    private final java.util.ArrayDeque<Pending> pending = new java.util.ArrayDeque<>();
    private Pending ahead;

    /**
     * Runs a helper verb in the process that holds the lock (the helper's {@code serve_requests}): one request line and one
     * reply line on the open channel, so one round trip, where a channel of its own costs the channel's opening, sudo
     * and the exit's close as well. The reply is the same as {@link RemoteHost#call}'s. A timeout or a lost channel
     * ends the serving: the verb may still run there, so later calls use channels of their own (the lock stays held
     * until it ends, as the verb keeps the lock's file open). Replies to requests sent ahead are read first.
     */
    synchronized ExecResult call(Duration timeout, String verb, String... args) throws RemoteCommandException {
        Pending last = pending.peekLast();
        boolean afterUpload = last != null && last.upload != null;
        holder.send((afterUpload ? "THEN" : "CALL") + request(verb, args).substring(4)); // after an upload: only if it arrived whole
        Pending p = new Pending(verb);
        pending.add(p);
        return await(p, timeout);
    }

    /**
     * Sends the files as a tar stream on this channel ({@code upload SIZE DIR...}, then SIZE bytes; the helper's tar
     * unpacks them as the login user, as over a channel of its own) and returns without waiting: the next {@link #call}
     * follows at once, runs only if the upload succeeded, and throws the upload's failure. One round trip for both.
     */
    synchronized void upload(Map<String, byte[]> files) throws RemoteCommandException {
        Set<String> dirs = new LinkedHashSet<>();
        Map<String, byte[]> relative = new LinkedHashMap<>();
        files.forEach((path, content) -> {
            dirs.add(path.substring(0, path.lastIndexOf('/')));
            relative.put(path.substring(1), content);
        });
        List<String> args = new ArrayList<>(List.of(Long.toString(TarStream.size(relative))));
        args.addAll(dirs);
        holder.send(request("upload", args.toArray(String[]::new)));
        try {
            OutputStream in = holder.input();
            TarStream.write(relative, in);
            in.flush();
        } catch (IOException e) {
            broken = true;
            throw new RemoteCommandException("upload of " + files.size() + " files to " + label + " failed: " + e.getMessage(), e);
        }
        pending.add(new Pending("upload", files.size() + " files"));
    }

    /** The reply to the request {@link #acquire} sent ahead, or null when none was sent (or the channel serves no requests). */
    synchronized ExecResult ahead(Duration timeout) throws RemoteCommandException {
        Pending p = ahead;
        ahead = null;
        return p == null || broken ? null : await(p, timeout);
    }

    private ExecResult await(Pending p, Duration timeout) throws RemoteCommandException {
        long deadline = System.nanoTime() + timeout.toNanos();
        RemoteCommandException uploadFailed = null;
        try {
            while (p.reply == null) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    broken = true;
                    throw new RemoteCommandException("the helper's " + p.verb + " on " + label + " did not finish within " + timeout.toSeconds() + " s",
                            -1, "");
                }
                String line = lines.poll(Math.min(left, TimeUnit.MILLISECONDS.toNanos(200)), TimeUnit.NANOSECONDS);
                if (line == null) {
                    if (!holder.isOpen() && lines.isEmpty()) {
                        broken = true;
                        String stderr = String.join("\n", errors);
                        throw new RemoteCommandException("the connection to " + label + " closed before a command finished", -1, stderr);
                    }
                } else if (line.startsWith("REPLY ")) {
                    String[] f = line.split(" ", -1);
                    Pending first = pending.poll();
                    if (f.length != 4 || first == null) {
                        broken = true;
                        throw new RemoteCommandException("the helper on " + label + " answered " + p.verb + " with a malformed reply", -1, "");
                    }
                    first.reply = new ExecResult(Integer.parseInt(f[1]), text(f[2]), text(f[3]));
                    if (first.upload != null && !first.reply.ok() && uploadFailed == null) {
                        uploadFailed = new RemoteCommandException("upload of " + first.upload + " to " + label + " failed (exit "
                                + first.reply.exitStatus() + ")", first.reply.exitStatus(), first.reply.stderr());
                    }
                }
            }
            if (uploadFailed != null) {
                throw uploadFailed; // what came after it did not run (THEN)
            }
            return p.reply;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            broken = true;
            throw new RemoteCommandException("interrupted while " + label + " ran " + p.verb, -1, "");
        }
    }

    private static String request(String verb, String... args) {
        StringBuilder request = new StringBuilder("CALL ").append(word(verb));
        for (String a : args) {
            request.append(' ').append(word(a));
        }
        return request.toString();
    }

    private static String word(String s) {
        return s.isEmpty() ? "-" : Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private static String text(String field) {
        return field.equals("-") ? "" : new String(Base64.getDecoder().decode(field), StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        holder.close();
    }

    /**
     * Ends the run's hold without waiting for the channel's close to come back: the helper's process ends on the end
     * of its input and the kernel drops the lock with it (or with the connection, should that go first). Every reply
     * the run needed has been read by then.
     */
    void release() {
        holder.release();
    }
}
