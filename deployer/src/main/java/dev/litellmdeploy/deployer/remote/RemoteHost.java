package dev.litellmdeploy.deployer.remote;

import java.io.InputStream;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * The port to one server: run scripts as root, upload files, reach a port on the server's
 * loopback. One instance is one connection, reused by every step.
 */
public interface RemoteHost extends AutoCloseable {

    /** A label for messages: user@host:port. */
    String describe();

    /**
     * Runs a bash script as root (through {@code sudo -n} when the login user is not root) with
     * {@code set -euo pipefail}, stdin closed, and a timeout. Returns whatever the exit status;
     * throws only when the command could not run or timed out.
     */
    ExecResult run(String script, Duration timeout) throws RemoteCommandException;

    /** Like {@link #run} but fails with the script's stderr when the exit status is not 0. */
    default String runChecked(String what, String script, Duration timeout) throws RemoteCommandException {
        ExecResult result = run(script, timeout);
        if (!result.ok()) {
            throw new RemoteCommandException(what + " failed (exit " + result.exitStatus() + ")"
                    + (result.stderr().isBlank() ? "" : ": " + result.stderr().strip()), result.exitStatus(), result.stderr());
        }
        return result.stdout();
    }

    /**
     * Starts a long-running root script and hands each stdout and stderr line to the consumers until
     * it ends or the returned handle is closed (closing ends the remote process: its stdin reaches EOF).
     */
    RunningCommand start(String script, Consumer<String> stdout, Consumer<String> stderr) throws RemoteCommandException;

    /** Uploads content to a file the login user can write (the staging directory). */
    void upload(InputStream content, String remotePath) throws RemoteCommandException;

    /** Uploads several files (remote path -> content) over one SFTP session, creating their folders. */
    void upload(java.util.Map<String, byte[]> files) throws RemoteCommandException;

    /** The login user's staging directory on the host (0700, not under /tmp). */
    String stagingDir();

    /** Forwards a local loopback port to 127.0.0.1:remotePort on the host; returns the local port. */
    int forward(int remotePort) throws RemoteCommandException;

    @Override
    void close();

    /** A remote process started with {@link #start}. */
    interface RunningCommand extends AutoCloseable {
        boolean isOpen();

        @Override
        void close();
    }
}
