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
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.channel.ClientChannelEvent;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.client.session.forward.ExplicitPortForwardingTracker;
import org.apache.sshd.common.util.net.SshdSocketAddress;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.SftpClientFactory;

import dev.litellmdeploy.deployer.remote.ExecResult;
import dev.litellmdeploy.deployer.remote.RemoteCommandException;
import dev.litellmdeploy.deployer.remote.RemoteHost;
import dev.litellmdeploy.deployer.remote.RemoteHelper;

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
            PipedInputStream stdin = new PipedInputStream(feed);
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
                public void close() {
                    try {
                        feed.close();
                    } catch (IOException e) {
                        // the channel is closed below either way
                    }
                    channel.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), Duration.ofSeconds(5));
                    channel.close(true);
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

    @Override
    public void upload(InputStream content, String remotePath) throws RemoteCommandException {
        try (SftpClient sftp = SftpClientFactory.instance().createSftpClient(session);
                OutputStream out = sftp.write(remotePath)) {
            content.transferTo(out);
        } catch (IOException e) {
            throw new RemoteCommandException("upload of " + remotePath + " to " + label + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void upload(java.util.Map<String, byte[]> files) throws RemoteCommandException {
        try (SftpClient sftp = SftpClientFactory.instance().createSftpClient(session)) {
            java.util.Set<String> made = new java.util.HashSet<>();
            for (String path : files.keySet()) {
                String dir = path.substring(0, path.lastIndexOf('/'));
                if (made.add(dir)) {
                    try {
                        sftp.stat(dir);
                    } catch (IOException missing) {
                        sftp.mkdir(dir);
                    }
                }
            }
            for (java.util.Map.Entry<String, byte[]> f : files.entrySet()) {
                try (OutputStream out = sftp.write(f.getKey())) {
                    out.write(f.getValue());
                }
            }
        } catch (IOException e) {
            throw new RemoteCommandException("upload to " + label + " failed: " + e.getMessage(), e);
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
