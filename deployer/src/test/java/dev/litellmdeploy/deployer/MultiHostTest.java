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
        two.exec("mv /usr/bin/flock.off /usr/bin/flock");
    }

    /**
     * --canary 1 with a smoke request, three real hosts (the LiteLLM stand-in, which answers a model whose key starts with
     * sk-fake-revoked 401 as the real LiteLLM does when its provider refuses the key: RealLiteLlmDeployTest): a bad key fails
     * on the canary, which is restored, and the two others are not touched; a good change then reaches all three.
     */
    @Test
    void aCanaryWithABadKeyIsRestoredAndTheOthersAreNotTouchedThenAGoodChangeReachesAll() throws Exception {
        two.exec("if [ -e /usr/bin/flock.off ]; then mv /usr/bin/flock.off /usr/bin/flock; fi");
        DeploySettings settings = Fixtures.settings(work.resolve("uv-canary")).withHosts(3, false);
        DeployResult start = new Deployer(ssh(), settings, Fixtures.LEAK_CHECKED).deploy(Fixtures.exampleBundle(work.resolve("c1")), all());
        start.hosts().forEach(h -> assertTrue(h.outcome().ok(), h.outcome() + ": " + h.message()));
        String onOne = one.exec("readlink /var/lib/litellm-deploy/current").strip();
        String onTwo = two.exec("readlink /var/lib/litellm-deploy/current").strip();
        String releasesOnThree = three.exec("ls /var/lib/litellm-deploy/releases");

        DeploySettings canary = settings.withCanary(1).withSmoke(Smoke.of(List.of("bad-key-brioche"), false));
        Bundle bad = Fixtures.exampleBundle(work.resolve("c2"),
                Map.of("40-brioche", "- model_name: bad-key-brioche\n  litellm_params: {model: openai/brioche, api_key: sk-fake-revoked-0001}\n"), Map.of());
        DeployResult r = new Deployer(ssh(), canary, Fixtures.LEAK_CHECKED).deploy(bad, all());
        assertEquals(List.of(HostResult.Outcome.FAILED_ROLLED_BACK, HostResult.Outcome.NOT_ATTEMPTED, HostResult.Outcome.NOT_ATTEMPTED),
                r.hosts().stream().map(HostResult::outcome).toList(), r.toString());
        assertTrue(r.hosts().get(0).message().contains("smoke request to bad-key-brioche got 401"), r.hosts().get(0).message());
        assertEquals(onOne, one.exec("readlink /var/lib/litellm-deploy/current").strip(), "the canary runs its release again");
        assertEquals(onTwo, two.exec("readlink /var/lib/litellm-deploy/current").strip());
        assertEquals(releasesOnThree, three.exec("ls /var/lib/litellm-deploy/releases"), "nothing was uploaded to host three");

        Bundle good = Fixtures.exampleBundle(work.resolve("c3"),
                Map.of("40-brioche", "- model_name: good-key-brioche\n  litellm_params: {model: openai/brioche, api_key: sk-fake-good-0001}\n"), Map.of());
        DeployResult ok = new Deployer(ssh(), settings.withCanary(1).withSmoke(Smoke.of(List.of("good-key-brioche"), false)), Fixtures.LEAK_CHECKED)
                .deploy(good, all());
        ok.hosts().forEach(h -> assertEquals(HostResult.Outcome.SUCCESS, h.outcome(), h.message()));
        for (TestHost h : List.of(one, two, three)) {
            assertTrue(h.exec("curl -sf -H 'Authorization: Bearer sk-fake-master-key-example-0000000000' http://127.0.0.1:4000/v1/models")
                    .contains("good-key-brioche"));
        }
    }
}
