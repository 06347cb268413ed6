package dev.litellmdeploy.deployer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import dev.litellmdeploy.builder.BundleOptions;
import dev.litellmdeploy.deployer.bundle.Bundle;
import dev.litellmdeploy.testsupport.FakeProvider;
import dev.litellmdeploy.testsupport.MachinePreparation;
import dev.litellmdeploy.testsupport.RealLiteLlm;
import dev.litellmdeploy.testsupport.TestHost;
import dev.litellmdeploy.testsupport.Traffic;

/**
 * Blue-green with the real LiteLLM (the seed's version, real uv, offline wheelhouse) behind nginx,
 * under traffic to the public port: short completions and streams of 6 events 0.5 s apart, routed by
 * LiteLLM to the fake provider. Failed requests, the deploy's time and the memory of both colours
 * during the overlap go to target/real-litellm-blue-green.txt.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RealLiteLlmBlueGreenTest {
    private static final int PROVIDER_PORT = 9100;
    private static final Path REPORT = Path.of("target", "real-litellm-blue-green.txt");

    @RegisterExtension
    static final TestHost host = new TestHost().withoutUv().withExposedPort(4000);

    @TempDir
    static Path work;

    private static RealLiteLlm litellm;

    @BeforeAll
    static void prepare() throws IOException {
        litellm = RealLiteLlm.prepare(RealLiteLlm.SEED_VERSION);
        FakeProvider.startOn(host, PROVIDER_PORT, 0.5);
        Files.createDirectories(REPORT.getParent());
        Files.writeString(REPORT, "# Blue-green with real LiteLLM " + litellm.version() + " (RealLiteLlmBlueGreenTest)\n");
    }

    private static void report(String line) throws IOException {
        Files.writeString(REPORT, line + "\n", StandardOpenOption.APPEND);
        System.out.println(line);
    }

    private static DeploySettings blueGreen() {
        return DeploySettings.defaults().withUv(UvSource.localFile(litellm.uvArchive())).withReadyTimeout(Duration.ofMinutes(5))
                .withActor("test-actor@ci").withStrategy(DeploySettings.Strategy.BLUE_GREEN, new DeploySettings.BlueGreen(0, 0,
                        Duration.ofSeconds(60), Duration.ofSeconds(60), MachinePreparation.nginxPackages()))
                .withWheelhouse(RealLiteLlmFixtures.wheelhouse(litellm));
    }

    private static Bundle release(String name) throws Exception {
        return RealLiteLlmFixtures.bundle(work, name, BundleOptions.defaults().withEnvironment(RealLiteLlmFixtures.offline(litellm)),
                PROVIDER_PORT, "- model_name: " + name + "\n  litellm_params: {model: openai/x}\n");
    }

    private static HostResult deploy(Bundle bundle) throws Exception {
        return new Deployer(Fixtures.ssh(host, TestHost.ROOT), blueGreen(), Fixtures.LEAK_CHECKED).deploy(bundle, Fixtures.targets(host))
                .hosts().get(0);
    }

    /** The RSS in MiB of every process of the litellm-blue and litellm-green units (uvx and LiteLLM's Python). */
    private static String colourMemory() {
        return host.exec("for c in blue green; do p=$(systemctl show -p MainPID --value litellm-$c.service); "
                + "if [ \"$p\" != 0 ]; then printf '%s: %s MiB; ' $c $(ps -o rss= -p $p --ppid $p | awk '{s+=$1} END {print int(s/1024)}'); "
                + "else printf '%s: stopped; ' $c; fi; done").strip();
    }

    @Test
    @Order(1)
    void aBareHostDeploysRealLitellmBlueGreenBehindNginx() throws Exception {
        long start = System.nanoTime();
        HostResult r = deploy(release("v1"));
        assertEquals(HostResult.Outcome.SUCCESS, r.outcome(), r.message());
        report(String.format("first blue-green deploy on a bare host: %.1f s; memory %s", (System.nanoTime() - start) / 1e9, colourMemory()));
        String models = host.exec("curl -sS -H 'Authorization: Bearer " + RealLiteLlmFixtures.MASTER_KEY + "' http://127.0.0.1:4000/v1/models");
        assertTrue(models.contains("\"provider-echo\"") && models.contains("\"v1\""), models);
    }

    @Test
    @Order(2)
    void aChangedConfigSwitchesColoursUnderTrafficWithNoFailedRequestAndEveryStreamComplete() throws Exception {
        Traffic traffic = new Traffic(host.host(), host.mappedPort(4000), RealLiteLlmFixtures.MASTER_KEY, "provider-echo", 3, 3);
        Thread.sleep(1500);
        long start = System.nanoTime();
        HostResult r = deploy(release("v2"));
        double took = (System.nanoTime() - start) / 1e9;
        String overlap = colourMemory();
        Thread.sleep(1000);
        Traffic.Result result = traffic.stop();
        assertEquals(HostResult.Outcome.SUCCESS, r.outcome(), r.message());
        report(String.format("blue-green deploy under traffic: %.1f s; %s", took, result));
        report("    steps: " + String.join(", ", r.steps().stream().map(x -> x.step() + " " + x.took().toMillis() + " ms").toList()));
        report("memory right after the switch (both colours run until the old one is retired): " + overlap);
        assertEquals(0, result.failed(), result.toString());
        assertTrue(result.streamsOk() >= 3 && result.shortOk() > 5, result.toString());
        String models = host.exec("curl -sS -H 'Authorization: Bearer " + RealLiteLlmFixtures.MASTER_KEY + "' http://127.0.0.1:4000/v1/models");
        assertTrue(models.contains("\"v2\""), models);
        assertEquals(Map.of("blue", "active", "green", "active"), Map.of(
                "blue", host.exec("systemctl is-active litellm-blue.service").strip(),
                "green", host.exec("systemctl is-active litellm-green.service").strip()), "the old colour runs during its grace period");
    }

    /**
     * --smoke in blue-green: the new colour is asked before any traffic moves. Its model's provider refuses the key (401
     * through the real LiteLLM), so the deploy fails, nginx never switches, and the clients of the live colour see no
     * failed request.
     */
    @Test
    @Order(3)
    void aSmokeRequestThatFailsOnTheNewColourMovesNoTrafficAndNoClientRequestFails() throws Exception {
        Traffic traffic = new Traffic(host.host(), host.mappedPort(4000), RealLiteLlmFixtures.MASTER_KEY, "provider-echo", 3, 3);
        Thread.sleep(1500);
        Bundle bad = RealLiteLlmFixtures.bundle(work, "v3", BundleOptions.defaults().withEnvironment(RealLiteLlmFixtures.offline(litellm)),
                PROVIDER_PORT, "- model_name: smoke-v3\n  litellm_params: {model: openai/echo-1, api_base: http://127.0.0.1:" + PROVIDER_PORT
                        + "/v1, api_key: sk-fake-revoked-0003}\n");
        HostResult r = new Deployer(Fixtures.ssh(host, TestHost.ROOT), blueGreen().withSmoke(Smoke.of(java.util.List.of("smoke-v3"), false)),
                Fixtures.LEAK_CHECKED).deploy(bad, Fixtures.targets(host)).hosts().get(0);
        Thread.sleep(1000);
        Traffic.Result result = traffic.stop();
        assertTrue(!r.outcome().ok() && r.message().contains("smoke request to smoke-v3 got 401"), r.outcome() + ": " + r.message());
        java.util.List<String> ran = r.steps().stream().map(StepTiming::step).toList();
        assertTrue(!ran.contains("switch"), "no switch was attempted: " + ran);
        report("blue-green, a smoke request failing on the new colour: " + r.outcome() + "; clients: " + result);
        assertEquals(0, result.failed(), result.toString());
        String models = host.exec("curl -sS -H 'Authorization: Bearer " + RealLiteLlmFixtures.MASTER_KEY + "' http://127.0.0.1:4000/v1/models");
        assertTrue(models.contains("\"v2\"") && !models.contains("smoke-v3"), "the live colour still serves v2: " + models);
    }
}
