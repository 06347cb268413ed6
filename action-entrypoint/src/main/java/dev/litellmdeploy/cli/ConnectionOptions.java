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

/** Which servers and how to reach them: shared by plan, deploy, rollback, status and logs. Texts and defaults: {@link OptionTable}. */
public final class ConnectionOptions {
    @Option(names = {"--host", "-H"}, paramLabel = "HOST[:PORT]", split = ",", required = true)
    List<String> hosts = new ArrayList<>();

    @Option(names = "--port", paramLabel = "PORT")
    int port;

    @Option(names = {"--user", "-u"}, paramLabel = "USER")
    String user;

    @Option(names = {"--key", "-i"}, paramLabel = "FILE")
    Path key;

    @Option(names = "--key-passphrase", paramLabel = "TEXT")
    String passphrase;

    @Option(names = "--known-hosts", paramLabel = "FILE")
    Path knownHosts;

    @Option(names = "--fingerprint", paramLabel = "SHA256:...", split = ",")
    List<String> fingerprints = new ArrayList<>();

    @Option(names = "--accept-new-host-key")
    boolean acceptNew;

    @Option(names = "--jump-host", paramLabel = "USER@HOST[:PORT]")
    String jumpHost;

    @Option(names = "--connect-timeout", paramLabel = "DURATION", converter = DurationConverter.class)
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
