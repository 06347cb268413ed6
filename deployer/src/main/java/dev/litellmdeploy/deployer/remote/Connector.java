package dev.litellmdeploy.deployer.remote;

/**
 * The port that opens connections to servers (the SSH adapter: {@code ssh.SshConnector}; tests may give an in-process
 * host). One connector per run; one connection per host.
 */
public interface Connector extends AutoCloseable {

    /** Connects to one host; its root actions go through the given helper. */
    RemoteHost connect(String host, int port, RemoteHelper helper) throws ConnectionException;

    @Override
    void close();

    /** Opens a connector for a run (the SSH client with its key and host-key policy). */
    interface Factory {
        Connector open() throws ConnectionException;
    }
}
