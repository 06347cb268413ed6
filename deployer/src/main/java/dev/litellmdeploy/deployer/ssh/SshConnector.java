package dev.litellmdeploy.deployer.ssh;

import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.security.KeyPair;
import java.time.Duration;
import java.util.List;

import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.config.hosts.HostConfigEntry;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.SshException;
import org.apache.sshd.common.keyprovider.KeyIdentityProvider;
import org.apache.sshd.core.CoreModuleProperties;

import dev.litellmdeploy.deployer.remote.ConnectionException;
import dev.litellmdeploy.deployer.remote.RemoteHelper;
import dev.litellmdeploy.deployer.remote.RemoteHost;

/**
 * Opens verified, authenticated SSH connections with Apache MINA SSHD. One connector per run
 * (one client, one key); one connection per host, reused by every step.
 */
public final class SshConnector implements dev.litellmdeploy.deployer.remote.Connector {
    private final SshSettings settings;
    private final SshClient client;
    private final HostKeyVerifier verifier;

    public SshConnector(SshSettings settings) throws ConnectionException {
        this.settings = settings;
        if (settings.hostKeys() == null || settings.hostKeys().isEmpty()) {
            throw new ConnectionException("no way to verify the server's host key: give known_hosts (--known-hosts),"
                    + " a pinned fingerprint (--fingerprint SHA256:...), or explicitly --accept-new-host-key");
        }
        List<KeyPair> keys = KeyIdentities.load(settings.privateKey(), settings.passphrase());
        try {
            this.verifier = new HostKeyVerifier(settings.hostKeys());
        } catch (IOException e) {
            throw new ConnectionException(e.getMessage(), e);
        }
        client = SshClient.setUpDefaultClient();
        client.setServerKeyVerifier(verifier);
        client.setKeyIdentityProvider(KeyIdentityProvider.wrapKeyPairs(keys));
        client.setUserAuthFactoriesNames("publickey");
        CoreModuleProperties.HEARTBEAT_INTERVAL.set(client, Duration.ofSeconds(15));
        CoreModuleProperties.IDLE_TIMEOUT.set(client, Duration.ofMinutes(30));
        client.start();
    }

    @Override
    public RemoteHost connect(String host, int port, RemoteHelper helper) throws ConnectionException {
        String label = settings.user() + "@" + host + ":" + port;
        Duration timeout = settings.connectTimeout();
        ClientSession session = null;
        try {
            HostConfigEntry entry = new HostConfigEntry(host, host, port, settings.user());
            if (settings.jumpHost() != null && !settings.jumpHost().isBlank()) {
                entry.setProxyJump(settings.jumpHost());
            }
            session = client.connect(entry, null, null).verify(timeout).getSession();
            session.auth().verify(timeout);
            return new SshRemoteHost(session, label, settings.user(), helper);
        } catch (IOException | RuntimeException e) {
            if (session != null) {
                session.close(true);
            }
            throw explain(host, port, label, e);
        }
    }

    private ConnectionException explain(String host, int port, String label, Exception e) {
        String rejected = verifier.rejection(host, port);
        if (rejected == null && settings.jumpHost() != null) {
            rejected = verifier.rejectionMentioning(settings.jumpHost());
        }
        if (rejected != null) {
            return new ConnectionException(rejected + ". Nothing was sent to the server.", e);
        }
        Throwable root = rootCause(e);
        String message = String.valueOf(e.getMessage());
        if (root instanceof UnknownHostException) {
            return new ConnectionException("cannot resolve " + host + ": check the host name", e);
        }
        if (root instanceof ConnectException) {
            return new ConnectionException("cannot connect to " + host + ":" + port + " (" + root.getMessage()
                    + "): is sshd running and the port open to this machine?", e);
        }
        if (message.contains("No more authentication methods") || message.contains("authentication")) {
            return new ConnectionException("unable to authenticate to " + label + " with the given key: is its public key in"
                    + " ~" + settings.user() + "/.ssh/authorized_keys on the server?", e);
        }
        if (e instanceof SshException && message.toLowerCase().contains("timeout") || message.contains("timed out")) {
            return new ConnectionException("connecting to " + label + " timed out after " + settings.connectTimeout().toSeconds()
                    + " s: is the host reachable from here (firewall, security group)?", e);
        }
        return new ConnectionException("cannot open an SSH session to " + label + ": " + message, e);
    }

    private static Throwable rootCause(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        return c;
    }

    @Override
    public void close() {
        try {
            client.stop();
        } finally {
            try {
                client.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
    }
}
