package dev.litellmdeploy.deployer.ssh;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.channel.ClientChannelEvent;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.client.session.forward.ExplicitPortForwardingTracker;
import org.apache.sshd.common.util.net.SshdSocketAddress;

import dev.litellmdeploy.deployer.remote.ExecResult;
import dev.litellmdeploy.deployer.remote.RemoteCommandException;
import dev.litellmdeploy.deployer.remote.RemoteHost;
import dev.litellmdeploy.deployer.remote.RemoteHelper;
import dev.litellmdeploy.deployer.remote.Shell;

/**
 * {@link RemoteHost} over one MINA SSHD session. Every root action is a verb of the helper
 * (its own {@code set -euo pipefail}, fixed PATH and locale), through {@code sudo -n} for
 * non-root users. The exit status is checked by callers; stderr never fails a command by
 * itself (systemctl warns there).
 */
final class SshRemoteHost implements RemoteHost {
    static final String STAGING_ROOT = "/var/lib/litellm-deploy/staging";

    private final ClientSession session;
    private final String label;
    private final String user;
    private final RemoteHelper helper;
    private final List<ExplicitPortForwardingTracker> forwards = new ArrayList<>();

    SshRemoteHost(ClientSession session, String label, String user, RemoteHelper helper) {
        this.session = session;
        this.label = label;
        this.user = user;
        this.helper = helper;
    }

    @Override
    public String describe() {
        return label;
    }

    @Override
    public boolean connected() {
        return session.isOpen() && !session.isClosing();
    }

    @Override
    public ExecResult call(Duration timeout, String verb, String... args) throws RemoteCommandException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (ChannelExec channel = session.createExecChannel(helper.commandLine(user, verb, args))) {
            channel.setIn(new ByteArrayInputStream(new byte[0]));
            channel.setOut(out);
            channel.setErr(err);
            channel.open().verify(Duration.ofSeconds(30));
            Set<ClientChannelEvent> events = channel.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), timeout);
            if (!events.contains(ClientChannelEvent.CLOSED)) {
                channel.close(true);
                throw new RemoteCommandException("the helper's " + verb + " on " + label + " did not finish within " + timeout.toSeconds() + " s",
                        -1, err.toString(StandardCharsets.UTF_8));
            }
            Integer status = channel.getExitStatus();
            if (status == null) {
                throw new RemoteCommandException("the connection to " + label + " closed before a command finished", -1,
                        err.toString(StandardCharsets.UTF_8));
            }
            return new ExecResult(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new RemoteCommandException("lost the connection to " + label + ": " + e.getMessage(), e);
        }
    }

    @Override
    public RunningCommand start(Consumer<String> lines, Consumer<String> errors, String verb, String... args) throws RemoteCommandException {
        try {
            PipedOutputStream feed = new PipedOutputStream();
            PipedInputStream stdin = new PipedInputStream(feed, 1 << 20); // an upload's stream goes this way too
            ChannelExec channel = session.createExecChannel(helper.commandLine(user, verb, args));
            channel.setIn(stdin);
            channel.setOut(new LineSplitter(lines));
            channel.setErr(new LineSplitter(errors));
            channel.open().verify(Duration.ofSeconds(30));
            return new RunningCommand() {
                @Override
                public boolean isOpen() {
                    return channel.isOpen() && !channel.isClosing();
                }

                @Override
                public void send(String line) throws RemoteCommandException {
                    try {
                        feed.write((line + "\n").getBytes(StandardCharsets.UTF_8));
                        feed.flush();
                    } catch (IOException e) {
                        throw new RemoteCommandException("lost the connection to " + label + ": " + e.getMessage(), e);
                    }
                }

                @Override
                public boolean readsInput() {
                    return true;
                }

                @Override
                public OutputStream input() {
                    return new java.io.FilterOutputStream(feed) {
                        @Override
                        public void write(byte[] b, int off, int len) throws IOException {
                            out.write(b, off, len);
                        }

                        @Override
                        public void close() throws IOException {
                            flush();
                        }
                    };
                }

                @Override
                public void close() {
                    endInput();
                    channel.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), Duration.ofSeconds(5));
                    channel.close(true);
                }

                /**
                 * EOF on the process's stdin and the channel's close sent, not waited for: the process ends on the EOF and
                 * whatever it holds (the deploy lock) with it, whether the answer to the close comes back or the
                 * connection goes first.
                 */
                @Override
                public void release() {
                    endInput();
                    channel.close(false);
                }

                private void endInput() {
                    try {
                        feed.close();
                    } catch (IOException e) {
                        // the channel is closed after this either way
                    }
                }
            };
        } catch (IOException e) {
            throw new RemoteCommandException("lost the connection to " + label + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String stagingDir() {
        return STAGING_ROOT + "/" + user;
    }

    /**
     * One file, streamed into {@code cat} as the login user: one exec channel (its flow control keeps the
     * data moving, where SFTP waits for every 32 KiB write's answer: a round trip each).
     */
    @Override
    public void upload(InputStream content, String remotePath) throws RemoteCommandException {
        String dir = remotePath.substring(0, remotePath.lastIndexOf('/'));
        stream(content, "umask 077 && mkdir -p " + Shell.quote(dir) + " && cat > " + Shell.quote(remotePath), remotePath);
    }

    /**
     * Several small files in one round of the connection: a tar stream (ustar, plain files only, mode 0600)
     * unpacked by the server's {@code tar} as the login user into directories made first. What lands there
     * is checked again by the helper (digests, plain files) before root uses any of it.
     */
    @Override
    public void upload(Map<String, byte[]> files) throws RemoteCommandException {
        Set<String> dirs = new LinkedHashSet<>();
        for (String path : files.keySet()) {
            dirs.add(path.substring(0, path.lastIndexOf('/')));
        }
        PipedInputStream tar = new PipedInputStream(1 << 20);
        PipedOutputStream feed;
        try {
            feed = new PipedOutputStream(tar);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        Thread writer = new Thread(() -> { // streamed, not built in memory: a wheelhouse is 100-200 MB
            try (feed) {
                Map<String, byte[]> relative = new java.util.LinkedHashMap<>();
                files.forEach((path, content) -> relative.put(path.substring(1), content));
                TarStream.write(relative, feed);
            } catch (IOException e) {
                // the channel ended first (its failure is reported by stream below)
            }
        }, "upload-tar");
        writer.setDaemon(true);
        writer.start();
        StringBuilder command = new StringBuilder("umask 077 && mkdir -p");
        dirs.forEach(d -> command.append(' ').append(Shell.quote(d)));
        command.append(" && tar -xof - -C /");
        try (tar) {
            stream(tar, command.toString(), files.size() + " files");
        } catch (IOException e) {
            throw new RemoteCommandException("upload of " + files.size() + " files to " + label + " failed: " + e.getMessage(), e);
        }
    }

    private void stream(InputStream content, String command, String what) throws RemoteCommandException {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (ChannelExec channel = session.createExecChannel(command)) {
            channel.setIn(content);
            channel.setOut(OutputStream.nullOutputStream());
            channel.setErr(err);
            channel.open().verify(Duration.ofSeconds(30));
            channel.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), Duration.ZERO);
            Integer status = channel.getExitStatus();
            if (status == null || status != 0) {
                throw new RemoteCommandException("upload of " + what + " to " + label + " failed"
                        + (status == null ? ": the connection closed first" : " (exit " + status + ")"), status == null ? -1 : status,
                        err.toString(StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new RemoteCommandException("upload of " + what + " to " + label + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public int forward(int remotePort) throws RemoteCommandException {
        try {
            ExplicitPortForwardingTracker tracker = session.createLocalPortForwardingTracker(
                    new SshdSocketAddress("127.0.0.1", 0), new SshdSocketAddress("127.0.0.1", remotePort));
            forwards.add(tracker);
            return tracker.getBoundAddress().getPort();
        } catch (IOException e) {
            throw new RemoteCommandException("cannot forward a port to " + label + ":" + remotePort + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        for (ExplicitPortForwardingTracker f : forwards) {
            try {
                f.close();
            } catch (IOException e) {
                // closing the session below ends it anyway
            }
        }
        session.close(false);
    }

    /** Hands complete lines to a consumer as they arrive. */
    private static final class LineSplitter extends OutputStream {
        private final Consumer<String> lines;
        private final ByteArrayOutputStream current = new ByteArrayOutputStream();

        LineSplitter(Consumer<String> lines) {
            this.lines = lines;
        }

        @Override
        public synchronized void write(int b) {
            if (b == '\n') {
                lines.accept(current.toString(StandardCharsets.UTF_8));
                current.reset();
            } else {
                current.write(b);
            }
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            for (int i = off; i < off + len; i++) {
                write(b[i]);
            }
        }
    }
}
