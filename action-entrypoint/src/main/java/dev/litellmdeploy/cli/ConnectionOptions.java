package dev.litellmdeploy.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.litellmdeploy.deployer.HostTarget;
import dev.litellmdeploy.deployer.ssh.HostKeyPolicy;
import dev.litellmdeploy.deployer.ssh.SshSettings;
import picocli.CommandLine.Option;

/** Which servers and how to reach them: shared by plan, deploy, rollback, status and logs. */
public final class ConnectionOptions {
    @Option(names = {"--host", "-H"}, paramLabel = "HOST[:PORT]", split = ",", required = true,
            description = "Server(s) to deploy to; repeat or separate with commas (env: LITELLM_DEPLOY_HOSTS).",
            defaultValue = "${env:LITELLM_DEPLOY_HOSTS}")
    List<String> hosts = new ArrayList<>();

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "${env:LITELLM_DEPLOY_PORT:-22}", description = "SSH port when a host names none.")
    int port;

    @Option(names = {"--user", "-u"}, paramLabel = "USER", defaultValue = "${env:LITELLM_DEPLOY_USER:-root}",
            description = "SSH user: root, or a user with passwordless sudo (env: LITELLM_DEPLOY_USER).")
    String user;

    @Option(names = {"--key", "-i"}, paramLabel = "FILE", defaultValue = "${env:LITELLM_DEPLOY_KEY_FILE}",
            description = "Private key file, OpenSSH or PEM; ed25519, RSA or ECDSA (env: LITELLM_DEPLOY_KEY_FILE).")
    Path key;

    @Option(names = "--key-passphrase", paramLabel = "TEXT", defaultValue = "${env:LITELLM_DEPLOY_KEY_PASSPHRASE}",
            description = "Passphrase of an encrypted key (env: LITELLM_DEPLOY_KEY_PASSPHRASE; prefer the variable: arguments show in ps).")
    String passphrase;

    @Option(names = "--known-hosts", paramLabel = "FILE", defaultValue = "${env:LITELLM_DEPLOY_KNOWN_HOSTS_FILE}",
            description = "known_hosts file to verify host keys with (hashed entries and [host]:port work).")
    Path knownHosts;

    @Option(names = "--fingerprint", paramLabel = "SHA256:...", split = ",",
            description = "Pinned host key fingerprint(s), as `ssh-keygen -lf` prints them; instead of or besides --known-hosts.")
    List<String> fingerprints = new ArrayList<>();

    @Option(names = "--accept-new-host-key", description = "Trust a host key seen for the first time (trust on first use). A changed key still fails.")
    boolean acceptNew;

    @Option(names = "--jump-host", paramLabel = "USER@HOST[:PORT]", description = "Reach the servers through this SSH jump host (same key and host key checks).")
    String jumpHost;

    @Option(names = "--connect-timeout", paramLabel = "DURATION", defaultValue = "20s", converter = DurationConverter.class,
            description = "Limit for connecting and authenticating, e.g. 20s, 1m.")
    Duration connectTimeout;

    List<HostTarget> targets() {
        List<HostTarget> out = new ArrayList<>();
        for (String h : hosts) {
            if (h.isBlank()) {
                throw new IllegalArgumentException("the host list " + String.join(",", hosts) + " has an empty entry (a variable that"
                        + " expanded to nothing?); refusing to deploy to fewer hosts than listed");
            }
            out.add(HostTarget.parse(h, port));
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("no host given: use --host HOST[:PORT]");
        }
        return out;
    }

    SshSettings ssh() throws IOException {
        if (key == null) {
            throw new IllegalArgumentException("no SSH key given: use --key FILE (or LITELLM_DEPLOY_KEY_FILE)");
        }
        String keyText = Files.readString(key, StandardCharsets.UTF_8);
        String known = knownHosts == null ? "" : Files.readString(knownHosts, StandardCharsets.UTF_8);
        return new SshSettings(user, keyText, passphrase, new HostKeyPolicy(known, fingerprints, acceptNew), jumpHost, connectTimeout);
    }
}
