package dev.litellmdeploy.deployer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import dev.litellmdeploy.deployer.bundle.Bundle;
import dev.litellmdeploy.testsupport.TcpRelay;
import dev.litellmdeploy.testsupport.TestHost;

/** The SSH connection dies in the middle of an upload (a relay in between is cut). */
class ConnectionCutTest {
    @RegisterExtension
    static final TestHost host = new TestHost();

    @TempDir
    static Path work;

    @Test
    void aConnectionCutDuringUploadLeavesTheOldReleaseRunningInstallsNothingAndTheNextDeploySucceeds() throws Exception {
        DeploySettings settings = Fixtures.settings(work.resolve("uv"));
        HostResult first = new Deployer(Fixtures.ssh(host, TestHost.ROOT), settings, Fixtures.LEAK_CHECKED)
                .deploy(Fixtures.exampleBundle(work.resolve("v1")), Fixtures.targets(host)).hosts().get(0);
        assertEquals(HostResult.Outcome.SUCCESS, first.outcome(), first.message());
        String pid = host.exec("systemctl show -p MainPID --value litellm").strip();
        String configDigest = host.exec("sha256sum /etc/litellm/config.yaml").strip();

        StringBuilder big = new StringBuilder();
        for (int i = 0; i < 3000; i++) {
            big.append("- model_name: bulk-").append(i).append("\n  litellm_params: {model: openai/bulk-").append(i)
                    .append(", api_base: https://bulk.example.invalid/v1, rpm: 10}\n");
        }
        Bundle large = Fixtures.exampleBundle(work.resolve("v2"), Map.of("50-bulk", big.toString()), Map.of());
        try (TcpRelay relay = new TcpRelay(host.host(), host.sshPort(), 150_000)) {
            DeployListener cutDuringUpload = new DeployListener() {
                @Override
                public void stepStarted(HostTarget h, String step) {
                    if (step.equals("upload")) {
                        long startBytes = relay.upstreamBytes();
                        Thread cutter = new Thread(() -> {
                            while (relay.upstreamBytes() - startBytes < 100_000) {
                                Thread.onSpinWait();
                            }
                            relay.cut();
                        });
                        cutter.setDaemon(true);
                        cutter.start();
                    }
                }
            };
            // the relay's port is not in known_hosts: pin the host key's fingerprint instead
            dev.litellmdeploy.deployer.ssh.SshSettings viaRelay = new dev.litellmdeploy.deployer.ssh.SshSettings("root",
                    host.keys().privateKeyOpenSsh(), null,
                    dev.litellmdeploy.deployer.ssh.HostKeyPolicy.fingerprint(host.hostKeyFingerprint()), null, null);
            HostResult cut = new Deployer(viaRelay, settings, Fixtures.checked(cutDuringUpload))
                    .deploy(large, java.util.List.of(new HostTarget(host.host(), relay.port()))).hosts().get(0);
            assertEquals(HostResult.Outcome.FAILED_NOTHING_CHANGED, cut.outcome(), cut.message());
            assertTrue(cut.message().toLowerCase(java.util.Locale.ROOT).contains("nothing was installed"), cut.message());
        }
        assertEquals(pid, host.exec("systemctl show -p MainPID --value litellm").strip(), "the old release keeps running");
        assertEquals(configDigest, host.exec("sha256sum /etc/litellm/config.yaml").strip(), "no half-written file was installed");
        assertEquals(first.release(), host.exec("readlink /var/lib/litellm-deploy/current").strip().replace("releases/", ""));
        assertFalse(host.exec("ls /var/lib/litellm-deploy/releases").contains(large.bundleId().substring(0, 12)),
                "no release directory for the cut upload");

        // the lock of the dead connection was released by itself: the next deploy goes through at once
        HostResult next = new Deployer(Fixtures.ssh(host, TestHost.ROOT), settings.withLockTimeout(java.time.Duration.ofSeconds(10)), Fixtures.LEAK_CHECKED)
                .deploy(large, Fixtures.targets(host)).hosts().get(0);
        assertEquals(HostResult.Outcome.SUCCESS, next.outcome(), next.message());
        assertTrue(host.exec("curl -sf -H 'Authorization: Bearer sk-fake-master-key-example-0000000000' http://127.0.0.1:4000/v1/models")
                .contains("\"bulk-2999\""));
    }
}
