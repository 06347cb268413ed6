package dev.litellmdeploy.deployer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.containers.Network;

import dev.litellmdeploy.deployer.ssh.HostKeyPolicy;
import dev.litellmdeploy.deployer.ssh.SshSettings;
import dev.litellmdeploy.testsupport.TestHost;

/** A server reachable only through a jump host (both verified against known_hosts). */
class JumpHostTest {
    static final Network network = Network.newNetwork();

    @RegisterExtension
    static final TestHost jump = new TestHost().withNetwork(network, "bastion");
    @RegisterExtension
    static final TestHost target = new TestHost().withNetwork(network, "gateway-internal");

    @TempDir
    static Path work;

    @AfterAll
    static void closeNetwork() {
        network.close();
    }

    @Test
    void aDeployThroughAJumpHostVerifiesBothHostKeys() throws Exception {
        target.authorize(jump.keys().authorizedKeysLine());
        String targetKey = target.knownHostsLine().substring(target.knownHostsLine().indexOf(' ') + 1);
        String knownHosts = jump.knownHostsLine() + "\ngateway-internal " + targetKey + "\n";
        SshSettings ssh = new SshSettings("root", jump.keys().privateKeyOpenSsh(), null, HostKeyPolicy.knownHosts(knownHosts),
                "root@" + jump.host() + ":" + jump.sshPort(), Duration.ofSeconds(20));
        HostResult r = new Deployer(ssh, Fixtures.settings(work.resolve("uv")), Fixtures.LEAK_CHECKED)
                .deploy(Fixtures.exampleBundle(work.resolve("b")), List.of(new HostTarget("gateway-internal", 22))).hosts().get(0);
        assertEquals(HostResult.Outcome.SUCCESS, r.outcome(), r.message());
        assertEquals("active", target.exec("systemctl is-active litellm").strip());
        assertTrue(jump.execResult("test -e /var/lib/litellm-deploy").getExitCode() != 0, "nothing was deployed on the jump host");

        String wrong = jump.knownHostsLine() + "\ngateway-internal " + jump.knownHostsLine().substring(jump.knownHostsLine().indexOf(' ') + 1) + "\n";
        SshSettings mismatch = new SshSettings("root", jump.keys().privateKeyOpenSsh(), null, HostKeyPolicy.knownHosts(wrong),
                "root@" + jump.host() + ":" + jump.sshPort(), Duration.ofSeconds(20));
        HostResult refused = new Deployer(mismatch, Fixtures.settings(work.resolve("uv")), Fixtures.LEAK_CHECKED)
                .plan(Fixtures.exampleBundle(work.resolve("c")), List.of(new HostTarget("gateway-internal", 22))).hosts().get(0);
        assertEquals(HostResult.Outcome.CONNECTION_FAILED, refused.outcome());
        assertTrue(refused.message().contains("HOST KEY MISMATCH for gateway-internal"), refused.message());
    }
}
