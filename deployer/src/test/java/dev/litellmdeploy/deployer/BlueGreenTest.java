package dev.litellmdeploy.deployer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import dev.litellmdeploy.deployer.bundle.Bundle;
import dev.litellmdeploy.testsupport.MachinePreparation;
import dev.litellmdeploy.testsupport.TestHost;
import dev.litellmdeploy.testsupport.Traffic;

/**
 * The two strategies under the same traffic (short completions and slow streams to the public
 * port, all through the deploy): restart drops requests, blue-green drops none and every stream
 * completes; a failing release never gets traffic; rollback is a switch back; status reports the
 * live color and proxy drift; a host moves from restart to blue-green and back by deploys alone.
 * Results go to deployer/target/blue-green.txt.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BlueGreenTest {
    static final String KEY = "sk-fake-master-key-example-0000000000";

    @RegisterExtension
    static final TestHost host = new TestHost().withExposedPort(4000);

    @TempDir
    static Path work;

    static final List<String> REPORT = new ArrayList<>();
    static String firstBlueGreenRelease;

    @BeforeAll
    static void restartModeRunsFirst() throws Exception {
        HostResult r = deploy(bundle("v1", Map.of()), DeployStrategy.RESTART);
        assertEquals(HostResult.Outcome.SUCCESS, r.outcome(), r.message());
    }

    @AfterAll
    static void writeReport() throws Exception {
        Files.writeString(MachinePreparation.projectRoot().resolve("deployer/target/blue-green.txt"), String.join("\n", REPORT) + "\n");
    }

    enum DeployStrategy { RESTART, BLUE_GREEN }

    static DeploySettings settings(DeployStrategy s) throws Exception {
        DeploySettings base = Fixtures.settings(work.resolve("uv")).withReadyTimeout(Duration.ofSeconds(30));
        return s == DeployStrategy.RESTART ? base : base.withStrategy(DeploySettings.Strategy.BLUE_GREEN,
                new DeploySettings.BlueGreen(0, 0, Duration.ofSeconds(60), Duration.ofSeconds(60), MachinePreparation.nginxPackages()));
    }

    static HostResult deploy(Bundle b, DeployStrategy s) throws Exception {
        return deploy(b, settings(s));
    }

    static HostResult deploy(Bundle b, DeploySettings settings) throws Exception {
        return new Deployer(Fixtures.ssh(host, TestHost.ROOT), settings, Fixtures.LEAK_CHECKED).deploy(b, Fixtures.targets(host)).hosts().get(0);
    }

    /** The example plus one model named after the release (so every release is a changed config), with unit environment. */
    static Bundle bundle(String name, Map<String, String> env) throws Exception {
        return Fixtures.changedBundle(work, name, env);
    }

    static Traffic traffic() {
        return new Traffic(host.host(), host.mappedPort(4000), KEY, "frontier-muffin", 3, 3);
    }

    /** Deploys under traffic; returns the traffic's tally (the deploy's result is checked by the caller). */
    static Traffic.Result underTraffic(String label, Bundle b, DeployStrategy s, HostResult.Outcome expected) throws Exception {
        return underTraffic(label, b, settings(s), expected);
    }

    static Traffic.Result underTraffic(String label, Bundle b, DeploySettings settings, HostResult.Outcome expected) throws Exception {
        Traffic t = traffic();
        Thread.sleep(1500);
        long start = System.nanoTime();
        HostResult r = deploy(b, settings);
        long took = (System.nanoTime() - start) / 1_000_000;
        Thread.sleep(1000);
        Traffic.Result result = t.stop();
        assertEquals(expected, r.outcome(), r.message());
        REPORT.add(String.format("%-34s | deploy %-18s %6d ms | %s", label, r.outcome(), took, result));
        REPORT.add("    steps: " + String.join(", ", r.steps().stream().map(x -> x.step() + " " + x.took().toMillis() + " ms").toList()));
        return result;
    }

    static String models() {
        return host.exec("curl -sf -H 'Authorization: Bearer " + KEY + "' http://127.0.0.1:4000/v1/models");
    }

    @Test
    @Order(1)
    void restartDropsRequestsWhileTheServiceRestarts() throws Exception {
        Traffic.Result r = underTraffic("restart, changed config", bundle("v2", Map.of()), DeployStrategy.RESTART, HostResult.Outcome.SUCCESS);
        assertTrue(r.failed() > 0, "restart is expected to drop requests: " + r);
    }

    @Test
    @Order(2)
    void aRestartHostMovesToBlueGreenByADeploy() throws Exception {
        Traffic.Result r = underTraffic("migration restart -> blue-green", bundle("v3", Map.of()), DeployStrategy.BLUE_GREEN,
                HostResult.Outcome.SUCCESS);
        assertEquals("blue", host.exec("cat /var/lib/litellm-deploy/blue-green/live").strip());
        assertEquals("inactive", host.execResult("systemctl is-active litellm.service").getStdout().strip());
        assertEquals("disabled", host.execResult("systemctl is-enabled litellm.service").getStdout().strip());
        assertTrue(host.exec("ss -Hltnp '( sport = :4000 )'").contains("nginx"), "nginx holds the public port");
        assertTrue(host.exec("ss -Hltn '( sport = :4001 )'").contains("127.0.0.1:4001"), "blue listens on loopback only");
        assertTrue(models().contains("\"v3\""), models());
        firstBlueGreenRelease = host.exec("cat /var/lib/litellm-deploy/blue-green/blue.release").strip();
        assertTrue(r.streamsOk() > 0, r.toString());
    }

    @Test
    @Order(3)
    void blueGreenDropsNothingAndEveryStreamCompletes() throws Exception {
        Traffic.Result r = underTraffic("blue-green, changed config", bundle("v4", Map.of()), DeployStrategy.BLUE_GREEN,
                HostResult.Outcome.SUCCESS);
        assertEquals(0, r.failed(), r.toString());
        assertTrue(r.streamsOk() >= 3 && r.shortOk() > 10, r.toString());
        assertEquals("green", host.exec("cat /var/lib/litellm-deploy/blue-green/live").strip());
        assertTrue(models().contains("\"v4\""), models());
        assertEquals("active", host.exec("systemctl is-active litellm-blue.service").strip(), "the old color runs during its grace period");
        assertEquals("active", host.exec("systemctl is-active litellm-deploy-retire-blue.timer").strip());
    }

    @Test
    @Order(4)
    void streamsPassTheProxyUnbuffered() throws Exception {
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        java.net.http.HttpRequest request = java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://" + host.host() + ":" + host.mappedPort(4000) + "/v1/chat/completions"))
                .header("Authorization", "Bearer " + KEY).POST(java.net.http.HttpRequest.BodyPublishers.ofString(
                        "{\"model\": \"frontier-muffin\", \"stream\": true, \"max_tokens\": 6, \"messages\": []}")).build();
        long start = System.nanoTime();
        var response = http.send(request, java.net.http.HttpResponse.BodyHandlers.ofLines());
        List<Long> arrivals = new ArrayList<>();
        response.body().filter(l -> l.startsWith("data: ")).forEach(l -> arrivals.add((System.nanoTime() - start) / 1_000_000));
        assertEquals(7, arrivals.size(), arrivals.toString());
        assertTrue(arrivals.get(0) < 1000 && arrivals.get(6) - arrivals.get(0) > 2000,
                "each event arrives when it is produced (0.5 s apart), not buffered to the end: " + arrivals);
        REPORT.add("stream through the proxy: events at " + arrivals + " ms");
    }

    @Test
    @Order(5)
    void aFailingReleaseNeverReceivesTraffic() throws Exception {
        String pid = host.exec("systemctl show -p MainPID --value litellm-green.service");
        Traffic.Result r = underTraffic("blue-green, release never ready", bundle("v5", Map.of("LITELLM_STANDIN_READY_DELAY", "600")),
                settings(DeployStrategy.BLUE_GREEN).withReadyTimeout(Duration.ofSeconds(4)), HostResult.Outcome.FAILED_NOTHING_CHANGED);
        assertEquals(0, r.failed(), r.toString());
        assertEquals("green", host.exec("cat /var/lib/litellm-deploy/blue-green/live").strip());
        assertEquals(pid, host.exec("systemctl show -p MainPID --value litellm-green.service"), "the live color was not touched");
        assertEquals("inactive", host.execResult("systemctl is-active litellm-blue.service").getStdout().strip(), "the failed color is stopped");
        assertTrue(models().contains("\"v4\"") && !models().contains("\"v5\""), models());
    }

    @Test
    @Order(6)
    void statusShowsTheLiveColorWhatEachHoldsAndProxyDrift() throws Exception {
        HostStatus s = new Deployer(Fixtures.ssh(host, TestHost.ROOT), settings(DeployStrategy.BLUE_GREEN), Fixtures.LEAK_CHECKED)
                .status(Fixtures.targets(host)).get(0);
        assertNotNull(s.blueGreen(), s.toString());
        assertEquals("green", s.blueGreen().live());
        assertEquals("ok", s.blueGreen().proxy());
        assertTrue(s.ready() && s.models().contains("v4"), s.toString());
        host.exec("echo '# edited by hand' >> /etc/nginx/conf.d/litellm-deploy.conf");
        HostStatus drift = new Deployer(Fixtures.ssh(host, TestHost.ROOT), settings(DeployStrategy.BLUE_GREEN), Fixtures.LEAK_CHECKED)
                .status(Fixtures.targets(host)).get(0);
        assertEquals("drift", drift.blueGreen().proxy());
    }

    @Test
    @Order(7)
    void rollbackStartsThePreviousReleaseAndSwitchesWithoutDroppingRequests() throws Exception {
        Traffic t = traffic();
        Thread.sleep(1000);
        long start = System.nanoTime();
        HostResult r = new Deployer(Fixtures.ssh(host, TestHost.ROOT), settings(DeployStrategy.BLUE_GREEN), Fixtures.LEAK_CHECKED)
                .rollback(Fixtures.targets(host), null).hosts().get(0);
        long took = (System.nanoTime() - start) / 1_000_000;
        Traffic.Result result = t.stop();
        assertEquals(HostResult.Outcome.SUCCESS, r.outcome(), r.message());
        REPORT.add(String.format("%-34s | rollback %-16s %6d ms | %s", "blue-green rollback", r.outcome(), took, result));
        assertEquals(0, result.failed(), result.toString());
        assertEquals("blue", host.exec("cat /var/lib/litellm-deploy/blue-green/live").strip());
        assertTrue(models().contains("\"v3\""), models());
        assertEquals("ok", host.exec("test \"$(sha256sum < /etc/nginx/conf.d/litellm-deploy.conf | cut -d' ' -f1)\""
                + " = \"$(cat /var/lib/litellm-deploy/blue-green/proxy.sha256)\" && echo ok").strip(), "the switch rewrote the drifted site");
    }

    @Test
    @Order(8)
    void rollbackWithinTheGracePeriodIsASwitchBackToTheRunningColor() throws Exception {
        String greenRelease = host.exec("cat /var/lib/litellm-deploy/blue-green/green.release").strip();
        String greenPid = host.exec("systemctl show -p MainPID --value litellm-green.service").strip();
        assertEquals("active", host.exec("systemctl is-active litellm-green.service").strip(), "green is in its grace period");
        HostResult r = new Deployer(Fixtures.ssh(host, TestHost.ROOT), settings(DeployStrategy.BLUE_GREEN), Fixtures.LEAK_CHECKED)
                .rollback(Fixtures.targets(host), greenRelease).hosts().get(0);
        assertEquals(HostResult.Outcome.SUCCESS, r.outcome(), r.message());
        assertTrue(r.message().contains("by switching back to green, which was still running"), r.message());
        assertFalse(r.steps().stream().anyMatch(x -> x.step().startsWith("start-")), "no start: " + r.steps());
        assertEquals(greenPid, host.exec("systemctl show -p MainPID --value litellm-green.service").strip(), "the same process serves");
        assertEquals("green", host.exec("cat /var/lib/litellm-deploy/blue-green/live").strip());
        assertTrue(models().contains("\"v4\""), models());
        REPORT.add("rollback within --keep-old: " + r.message() + "; steps: " + String.join(", ", r.steps().stream()
                .map(x -> x.step() + " " + x.took().toMillis() + " ms").toList()));
    }

    @Test
    @Order(9)
    void aBlueGreenHostMovesBackToRestartByADeploy() throws Exception {
        HostResult r = deploy(bundle("v6", Map.of()), DeployStrategy.RESTART);
        assertEquals(HostResult.Outcome.SUCCESS, r.outcome(), r.message());
        assertEquals("active", host.exec("systemctl is-active litellm.service").strip());
        assertFalse(host.exec("ls /etc/nginx/conf.d").contains("litellm-deploy"), "the proxy site is gone");
        assertEquals("inactive", host.execResult("systemctl is-active litellm-blue.service litellm-green.service").getStdout().lines()
                .distinct().reduce((a, b) -> a + b).orElse(""));
        String listener = host.exec("ss -Hltnp '( sport = :4000 )'");
        assertTrue(!listener.contains("nginx") && listener.contains("0.0.0.0:4000"), "the single service holds the public port: " + listener);
        assertTrue(models().contains("\"v6\""), models());
    }
}
