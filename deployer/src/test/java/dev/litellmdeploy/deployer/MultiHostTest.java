package dev.litellmdeploy.deployer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import dev.litellmdeploy.deployer.bundle.Bundle;
import dev.litellmdeploy.deployer.ssh.HostKeyPolicy;
import dev.litellmdeploy.deployer.ssh.SshSettings;
import dev.litellmdeploy.testsupport.TestHost;

/** Three hosts: in parallel, then rolling with the second one failing. */
class MultiHostTest {
    @RegisterExtension
    static final TestHost one = new TestHost();
    @RegisterExtension
    static final TestHost two = new TestHost();
    @RegisterExtension
    static final TestHost three = new TestHost();

    @TempDir
    static Path work;

    /** The hosts share the test key (each fixture makes its own: authorize the first one's everywhere). */
    private static SshSettings ssh() {
        two.authorize(one.keys().authorizedKeysLine());
        three.authorize(one.keys().authorizedKeysLine());
        String knownHosts = String.join("\n", one.knownHostsLine(), two.knownHostsLine(), three.knownHostsLine());
        return new SshSettings("root", one.keys().privateKeyOpenSsh(), null, HostKeyPolicy.knownHosts(knownHosts), null, Duration.ofSeconds(20));
    }

    private static List<HostTarget> all() {
        return List.of(Fixtures.target(one), Fixtures.target(two), Fixtures.target(three));
    }

    @Test
    void threeHostsInParallelThenRollingStopsAtTheFirstFailure() throws Exception {
        DeploySettings settings = Fixtures.settings(work.resolve("uv")).withHosts(3, false);
        DeployResult parallel = new Deployer(ssh(), settings, Fixtures.LEAK_CHECKED).deploy(Fixtures.exampleBundle(work.resolve("v1")), all());
        assertEquals(List.of(HostResult.Outcome.SUCCESS, HostResult.Outcome.SUCCESS, HostResult.Outcome.SUCCESS),
                parallel.hosts().stream().map(HostResult::outcome).toList(), parallel.toString());
        String releaseOnThree = three.exec("readlink /var/lib/litellm-deploy/current").strip();

        two.exec("mv /usr/bin/flock /usr/bin/flock.off");
        Bundle v2 = Fixtures.exampleBundle(work.resolve("v2"),
                Map.of("40-extra", "- model_name: extra-eclair\n  litellm_params: {model: openai/eclair}\n"), Map.of());
        DeployResult rolling = new Deployer(ssh(), settings.withHosts(1, true), Fixtures.LEAK_CHECKED).deploy(v2, all());
        assertEquals(List.of(HostResult.Outcome.SUCCESS, HostResult.Outcome.FAILED_NOTHING_CHANGED, HostResult.Outcome.NOT_ATTEMPTED),
                rolling.hosts().stream().map(HostResult::outcome).toList(), rolling.toString());
        assertTrue(rolling.hosts().get(1).message().contains("flock"), rolling.hosts().get(1).message());
        assertEquals(releaseOnThree, three.exec("readlink /var/lib/litellm-deploy/current").strip(), "host three was not touched");
        assertTrue(one.exec("curl -sf -H 'Authorization: Bearer sk-fake-master-key-example-0000000000' http://127.0.0.1:4000/v1/models")
                .contains("extra-eclair"));
    }
}
