package dev.litellmdeploy.deployer.remote;

import java.io.InputStream;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * The port to one server: call the root helper's verbs (see {@link RemoteHelper}), upload files,
 * reach a port on the server's loopback. One instance is one connection, reused by every step.
 */
public interface RemoteHost extends AutoCloseable {

    /** A label for messages: user@host:port. */
    String describe();

    /** Whether the connection is still up (false once the network or the host dropped it). */
    boolean connected();

    /**
     * Runs one helper verb as root (through {@code sudo -n} when the login user is not root) with
     * stdin closed and a timeout. Returns whatever the exit status; throws only when the command
     * could not run or timed out.
     */
    ExecResult call(Duration timeout, String verb, String... args) throws RemoteCommandException;

    /**
     * Whether a verb's arguments reach the helper where no process list shows them (the lock's channel: a request line on
     * the helper's stdin), so a secret may be one ({@code probe}'s master key, {@code env-build}'s index credentials). A verb
     * run through {@code sudo} has them on its command line: false.
     */
    default boolean argumentsStayPrivate() {
        return false;
    }

    /**
     * Like {@link #call}, for arguments that must never be on a command line (a credential): only on the deploy lock's
     * channel ({@code LockedHost} while its lock serves requests); everywhere else, refused before anything is sent.
     */
    default ExecResult callPrivately(Duration timeout, String verb, String... args) throws RemoteCommandException {
        throw new RemoteCommandException("the helper's " + verb + " takes a credential, which is sent only over the deploy lock's channel,"
                + " and " + describe() + " has none open; nothing was sent. Deploy again", -1, "");
    }

    /** Like {@link #call} but fails with the verb's stderr when the exit status is not 0. */
    default String callChecked(String what, Duration timeout, String verb, String... args) throws RemoteCommandException {
        ExecResult result = call(timeout, verb, args);
        if (!result.ok()) {
            throw new RemoteCommandException(what + " failed (exit " + result.exitStatus() + ")"
                    + (result.stderr().isBlank() ? "" : ": " + result.stderr().strip()), result.exitStatus(), result.stderr());
        }
        return result.stdout();
    }

    /**
     * Starts a long-running helper verb and hands each stdout and stderr line to the consumers until
     * it ends or the returned handle is closed (closing ends the remote process: its stdin reaches EOF).
     */
    RunningCommand start(Consumer<String> stdout, Consumer<String> stderr, String verb, String... args) throws RemoteCommandException;

    /** Uploads content to a file the login user can write (the staging directory). */
    void upload(InputStream content, String remotePath) throws RemoteCommandException;

    /** Uploads several files (remote path -> content) in one stream, creating their folders. */
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

        /** Writes a line to the process's stdin (the lock's process reads requests there: {@code LockedHost}). */
        default void send(String line) throws RemoteCommandException {
            throw new UnsupportedOperationException("this command reads no input");
        }

        /** The process's stdin for bytes between request lines (an upload's stream); closing it does not end the input. */
        default java.io.OutputStream input() {
            throw new UnsupportedOperationException("this command reads no input");
        }

        /** Whether {@link #send} reaches the process (false: it reads no input). */
        default boolean readsInput() {
            return false;
        }

        /** Ends the process's input and lets go without waiting for it to end (what it holds is released when it does). */
        default void release() {
            close();
        }

        @Override
        void close();
    }
}
