package dev.litellmdeploy.deployer;

import java.io.InputStream;
import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;

import dev.litellmdeploy.deployer.remote.ExecResult;
import dev.litellmdeploy.deployer.remote.RemoteCommandException;
import dev.litellmdeploy.deployer.remote.RemoteHost;

/**
 * The connection while the deploy lock is held: helper verbs and uploads of several files run in the lock's own process
 * ({@link RemoteLock#call}, one round trip each; an upload and the verb after it one together) while it serves;
 * everything else, and all of it once it no longer serves, goes to the connection.
 */
final class LockedHost implements RemoteHost {
    private final RemoteHost host;
    private final RemoteLock lock;

    LockedHost(RemoteHost host, RemoteLock lock) {
        this.host = host;
        this.lock = lock;
    }

    @Override
    public ExecResult call(Duration timeout, String verb, String... args) throws RemoteCommandException {
        return lock.serves() ? lock.call(timeout, verb, args) : host.call(timeout, verb, args);
    }

    /** On the lock's channel (the request is a line on the helper's input), or refused: never on a command line. */
    @Override
    public ExecResult callPrivately(Duration timeout, String verb, String... args) throws RemoteCommandException {
        if (!lock.serves()) {
            return RemoteHost.super.callPrivately(timeout, verb, args);
        }
        return lock.call(timeout, verb, args);
    }

    @Override
    public boolean argumentsStayPrivate() {
        return lock.serves() || host.argumentsStayPrivate();
    }

    @Override
    public String describe() {
        return host.describe();
    }

    @Override
    public boolean connected() {
        return host.connected();
    }

    @Override
    public RunningCommand start(Consumer<String> stdout, Consumer<String> stderr, String verb, String... args) throws RemoteCommandException {
        return host.start(stdout, stderr, verb, args);
    }

    @Override
    public void upload(InputStream content, String remotePath) throws RemoteCommandException {
        host.upload(content, remotePath);
    }

    /** On the lock's channel while it serves (the verb after it follows without waiting: {@link RemoteLock#upload}). */
    @Override
    public void upload(Map<String, byte[]> files) throws RemoteCommandException {
        if (lock.serves()) {
            lock.upload(files);
        } else {
            host.upload(files);
        }
    }

    @Override
    public String stagingDir() {
        return host.stagingDir();
    }

    @Override
    public int forward(int remotePort) throws RemoteCommandException {
        return host.forward(remotePort);
    }

    @Override
    public void close() {
        host.close();
    }
}
