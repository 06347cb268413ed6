package dev.litellmdeploy.deployer.ssh;

import java.time.Duration;

/**
 * How to log in: the same for every host of a run.
 *
 * @param user           login user (root, or a user with passwordless sudo)
 * @param privateKey     the private key's text (OpenSSH or PEM; ed25519, RSA, ECDSA)
 * @param passphrase     the key's passphrase, or null
 * @param hostKeys       how host keys are trusted
 * @param jumpHost       optional jump host, user@host:port (same key and host key policy), or null
 * @param connectTimeout TCP connect + key exchange + authentication
 */
public record SshSettings(String user, String privateKey, String passphrase, HostKeyPolicy hostKeys, String jumpHost,
        Duration connectTimeout) {

    public SshSettings {
        connectTimeout = connectTimeout == null ? Duration.ofSeconds(20) : connectTimeout;
    }

    /** The same settings trusting first-seen host keys (the demo's and warm-up's throwaway hosts). */
    public SshSettings withAcceptNew() {
        return new SshSettings(user, privateKey, passphrase, new HostKeyPolicy(hostKeys.knownHosts(), hostKeys.fingerprints(), true), jumpHost,
                connectTimeout);
    }

    /** Never print the key or passphrase. */
    @Override
    public String toString() {
        return "SshSettings[user=" + user + ", jumpHost=" + jumpHost + "]";
    }
}
