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
import dev.litellmdeploy.builder.PythonLock;
import dev.litellmdeploy.deployer.bundle.Bundle;
import dev.litellmdeploy.testsupport.FakeProvider;
import dev.litellmdeploy.testsupport.MachinePreparation;
import dev.litellmdeploy.testsupport.RealLiteLlm;
import dev.litellmdeploy.testsupport.TestHost;
import dev.litellmdeploy.testsupport.Traffic;

/**
 * Blue-green with the real LiteLLM behind nginx, each release locked (its hash-pinned environment built by the real uv from the
 * offline wheelhouse), under traffic to the public port: short completions and streams of 6 events 0.5 s apart, routed by
 * LiteLLM to the fake provider. The seed's version first (a config change, a failed smoke request), then an upgrade to the
 * newest version (its environment built beside the serving colour), a failed environment build, a rollback with no install and
 * the prune of the environment no release or colour names any more. Failed requests, the deploys' times and the memory of both
 * colours during the overlap go to target/real-litellm-blue-green.txt.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RealLiteLlmBlueGreenTest {
    private static final int PROVIDER_PORT = 9100;
    private static final Path REPORT = Path.of("target", "real-litellm-blue-green.txt");

    @RegisterExtension
    static final TestHost host = new TestHost().withoutUv().withExposedPort(4000);

    @TempDir
    static Path work;

    private static final String ENVS = "/var/lib/litellm-deploy/envs";

    private static RealLiteLlm litellm;
    private static RealLiteLlm newest;
    private static PythonLock seedLock;
    private static PythonLock newestLock;

    @BeforeAll
    static void prepare() throws IOException {
        litellm = RealLiteLlm.prepare(RealLiteLlm.SEED_VERSION);
        newest = RealLiteLlm.prepare(RealLiteLlm.NEWEST_VERSION);
        seedLock = RealLiteLlmFixtures.lock(litellm);
        newestLock = RealLiteLlmFixtures.lock(newest);
        FakeProvider.startOn(host, PROVIDER_PORT, 0.5);
        Files.createDirectories(REPORT.getParent());
        Files.writeString(REPORT, "# Blue-green with real LiteLLM " + litellm.version() + " (RealLiteLlmBlueGreenTest)\n");
    }

    private static void report(String line) throws IOException {
        Files.writeString(REPORT, line + "\n", StandardOpenOption.APPEND);
        System.out.println(line);
    }

    /** The old colour keeps running for 60 s after a switch (a rollback in that time is a switch back). */
    private static DeploySettings blueGreen() {
        return blueGreen(Duration.ofSeconds(60), litellm);
    }

    private static DeploySettings blueGreen(Duration keepOld, RealLiteLlm wheels) {
        return DeploySettings.defaults().withUv(UvSource.localFile(litellm.uvArchive())).withReadyTimeout(Duration.ofMinutes(5))
                .withActor("test-actor@ci").withStrategy(DeploySettings.Strategy.BLUE_GREEN, new DeploySettings.BlueGreen(0, 0,
                        Duration.ofSeconds(60), keepOld, MachinePreparation.nginxPackages()))
                .withWheelhouse(RealLiteLlmFixtures.wheelhouse(wheels)).withKeepReleases(2);
    }

    private static Bundle release(String name) throws Exception {
        return release(name, litellm, seedLock, "- model_name: " + name + "\n  litellm_params: {model: openai/x}\n");
    }

    /** A release locked to this lock, installing offline from this version's wheelhouse. */
    private static Bundle release(String name, RealLiteLlm wheels, PythonLock lock, String... extraModels) throws Exception {
        return RealLiteLlmFixtures.bundle(work, name, BundleOptions.defaults().withLitellmVersion(lock.litellmVersion())
                .withEnvironment(RealLiteLlmFixtures.offline(wheels)).withPythonLock(lock), PROVIDER_PORT, extraModels);
    }

    private static HostResult deploy(Bundle bundle) throws Exception {
        return deploy(bundle, blueGreen());
    }

    private static HostResult deploy(Bundle bundle, DeploySettings settings) throws Exception {
        return new Deployer(Fixtures.ssh(host, TestHost.ROOT), settings, Fixtures.LEAK_CHECKED).deploy(bundle, Fixtures.targets(host))
                .hosts().get(0);
    }

    /** The RSS in MiB of every process of the litellm-blue and litellm-green units (LiteLLM's Python). */
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

    private static Traffic traffic() throws InterruptedException {
        Traffic traffic = new Traffic(host.host(), host.mappedPort(4000), RealLiteLlmFixtures.MASTER_KEY, "provider-echo", 3, 3);
        Thread.sleep(1500);
        return traffic;
    }

    private static Traffic.Result stop(Traffic traffic) throws InterruptedException {
        Thread.sleep(1000);
        return traffic.stop();
    }

    private static String live() {
        return host.exec("cat /var/lib/litellm-deploy/blue-green/live").strip();
    }

    private static String envs() {
        return host.exec("ls -1 " + ENVS + " 2>/dev/null | sort").strip();
    }

    private static String sorted(PythonLock... locks) {
        return String.join("\n", java.util.Arrays.stream(locks).map(PythonLock::sha256).sorted().toList());
    }

    /**
     * What serves the public port: the LiteLLM version a chat completion through nginx reports (LiteLLM's x-litellm-version
     * response header, in both versions), and the live colour's main process is that lock's environment's Python.
     */
    private static void assertServes(PythonLock lock) {
        String headers = host.exec("curl -sS -D - -o /dev/null -H 'Authorization: Bearer " + RealLiteLlmFixtures.MASTER_KEY + "'"
                + " -H 'Content-Type: application/json' http://127.0.0.1:4000/v1/chat/completions"
                + " -d '{\"model\":\"provider-echo\",\"messages\":[{\"role\":\"user\",\"content\":\"which version\"}]}'");
        assertTrue(headers.startsWith("HTTP/1.1 200"), headers);
        assertTrue(headers.lines().anyMatch(l -> l.equalsIgnoreCase("x-litellm-version: " + lock.litellmVersion())), headers);
        String pid = host.exec("systemctl show -p MainPID --value litellm-" + live() + ".service").strip();
        String args = host.exec("ps -o args= -p " + pid).strip();
        assertTrue(args.startsWith(ENVS + "/" + lock.sha256() + "/venv/bin/python"), "the live colour runs the lock's environment: " + args);
    }

    private static java.util.List<String> ran(HostResult r) {
        return r.steps().stream().map(StepTiming::step).toList();
    }

    private static StepTiming step(HostResult r, String name) {
        return r.steps().stream().filter(s -> s.step().equals(name)).findFirst().orElseThrow(() -> new AssertionError(name + " in " + ran(r)));
    }

    /**
     * An upgrade of LiteLLM itself: the new lock's environment is built (python-env, before anything starts) while the live
     * colour serves the seed's, then the idle colour starts from it and takes the traffic. No client request fails; the old
     * environment stays (the old colour and the release before name it). --keep-old 0s: the old colour stops after its drain, so
     * the rollback below has to start it again.
     */
    @Test
    @Order(4)
    void anUpgradeBuildsTheNewEnvironmentBesideTheServingColourAndSwitchesWithNoFailedRequest() throws Exception {
        String before = live();
        Traffic traffic = traffic();
        long start = System.nanoTime();
        HostResult r = deploy(release("upgrade", newest, newestLock), blueGreen(Duration.ZERO, newest));
        double took = (System.nanoTime() - start) / 1e9;
        Traffic.Result result = stop(traffic);
        assertEquals(HostResult.Outcome.SUCCESS, r.outcome(), r.message());
        java.util.List<String> ran = ran(r);
        assertTrue(ran.indexOf(PythonEnv.STEP) >= 0 && ran.indexOf(PythonEnv.STEP) < ran.indexOf("start-" + live()), ran.toString());
        report(String.format("locked upgrade %s -> %s under traffic: %.1f s (python-env %.1f s: %s); %s", litellm.version(), newest.version(),
                took, step(r, PythonEnv.STEP).took().toMillis() / 1e3, step(r, PythonEnv.STEP).detail(), result));
        assertEquals(0, result.failed(), result.toString());
        assertTrue(!before.equals(live()), "the other colour took the traffic");
        assertServes(newestLock);
        assertEquals(sorted(seedLock, newestLock), envs(), "the old environment stays for a rollback");
    }

    /**
     * An environment that cannot be built (the lock names a package the wheelhouse lacks) fails the deploy in python-env, before
     * any colour is touched: the live colour keeps serving the new version with no failed request, and no environment is left.
     */
    @Test
    @Order(5)
    void aFailedEnvironmentBuildChangesNothingThatServesAndNoClientRequestFails() throws Exception {
        String absent = "litellm-deploy-absent-package";
        PythonLock broken = PythonLock.parse(newestLock.text() + absent + "==0.0.1 \\\n    --hash=sha256:" + "0".repeat(64)
                + "\n    # via the test\n", "a lock naming a package the wheelhouse lacks");
        String liveBefore = live();
        Traffic traffic = traffic();
        HostResult r = deploy(release("broken-env", newest, broken), blueGreen(Duration.ZERO, newest));
        Traffic.Result result = stop(traffic);
        report("locked blue-green, an environment that cannot be built: " + r.outcome() + " after " + ran(r) + "; clients: " + result);
        assertEquals(HostResult.Outcome.FAILED_NOTHING_CHANGED, r.outcome(), r.message());
        assertTrue(r.message().contains(absent), r.message());
        assertTrue(ran(r).stream().noneMatch(s -> s.startsWith("start-") || s.equals("switch")), ran(r).toString());
        assertEquals(0, result.failed(), result.toString());
        assertEquals(liveBefore, live());
        assertServes(newestLock);
        assertEquals(sorted(seedLock, newestLock), envs(), "no unfinished environment is left");
    }

    /** A rollback to the seed's release starts its colour again from the environment kept with it: nothing is installed. */
    @Test
    @Order(6)
    void aRollbackReturnsToTheOldEnvironmentWithNoInstallAndNoFailedRequest() throws Exception {
        Traffic traffic = traffic();
        long start = System.nanoTime();
        HostResult r = new Deployer(Fixtures.ssh(host, TestHost.ROOT), blueGreen(Duration.ZERO, litellm), Fixtures.LEAK_CHECKED)
                .rollback(Fixtures.targets(host), null).hosts().get(0);
        double took = (System.nanoTime() - start) / 1e9;
        Traffic.Result result = stop(traffic);
        assertEquals(HostResult.Outcome.SUCCESS, r.outcome(), r.message());
        report(String.format("locked rollback to %s under traffic: %.1f s, steps %s; %s", litellm.version(), took, ran(r), result));
        assertTrue(!r.plan().steps().contains(PythonEnv.STEP) && !r.plan().steps().contains(WheelhouseUpload.STEP), r.plan().steps().toString());
        assertTrue(ran(r).contains("start-" + live()), "the old colour was stopped (--keep-old 0s) and starts again: " + ran(r));
        assertEquals(0, result.failed(), result.toString());
        assertServes(seedLock);
        assertEquals(sorted(seedLock, newestLock), envs(), "the newest environment stays: the release before and the idle colour name it");
    }

    /**
     * The newest environment goes only once no kept release (keep 2: the current and the one before) and no installed colour
     * names it: after one more seed release, the idle colour holds it and the upgrade's release is pruned.
     */
    @Test
    @Order(7)
    void theUpgradesEnvironmentIsPrunedOnlyWhenNoKeptReleaseAndNoColourNamesIt() throws Exception {
        String upgrade = host.exec("cat /var/lib/litellm-deploy/blue-green/" + ("blue".equals(live()) ? "green" : "blue") + ".release").strip();
        HostResult r = deploy(release("after-rollback", litellm, seedLock, "- model_name: after-rollback\n  litellm_params: {model: openai/x}\n"),
                blueGreen(Duration.ZERO, litellm));
        assertEquals(HostResult.Outcome.SUCCESS, r.outcome(), r.message());
        assertTrue(!r.plan().steps().contains(PythonEnv.STEP), r.plan().steps().toString());
        assertTrue(!host.exec("ls /var/lib/litellm-deploy/releases").contains(upgrade), "the upgrade's release " + upgrade + " was pruned");
        assertEquals("0", host.exec("grep -l '/envs/" + newestLock.sha256() + "/' /etc/systemd/system/litellm-blue.service"
                + " /etc/systemd/system/litellm-green.service | wc -l").strip(), "no colour names the newest environment");
        assertEquals(sorted(seedLock), envs(), "no kept release and no colour names the newest environment");
        assertServes(seedLock);
        HostStatus status = new Deployer(Fixtures.ssh(host, TestHost.ROOT), blueGreen(), Fixtures.LEAK_CHECKED).status(Fixtures.targets(host)).get(0);
        PythonEnvStatus env = status.pythonEnv();
        assertEquals(new PythonEnvStatus(seedLock.sha256(), litellm.version(), true, 1, env.source()), env, "status shows the live release's environment");
        assertTrue(env.source() != null && env.source().matches("wheelhouse /var/lib/litellm-deploy/wheelhouses/[0-9a-f]{12}"),
                "status says where the environment came from: " + env.source());
    }
}
