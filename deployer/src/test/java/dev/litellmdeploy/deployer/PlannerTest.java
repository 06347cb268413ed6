package dev.litellmdeploy.deployer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.litellmdeploy.deployer.bundle.Bundle;

/** The plan is pure: bundle + host state in, steps out. */
class PlannerTest {
    @TempDir
    Path dir;

    private static final Instant NOW = Instant.parse("2026-11-29T06:00:00Z");

    private static HostState bare() {
        return new HostState(null, null, List.of(), "inactive", 0, false, Map.of(), null, false, null, BlueGreenState.none());
    }

    private static HostState running(Bundle b) {
        RemoteLayout l = RemoteLayout.defaults();
        return new HostState("20261128T000000Z-" + b.bundleId().substring(0, 12), b.bundleId(), List.of("20261128T000000Z-x"), "active", 42,
                true, Map.of(l.configPath(), b.manifest().files().get("config.yaml"), l.unitPath(), b.manifest().files().get("litellm.service")),
                "0.9.17", true, null, BlueGreenState.none());
    }

    @Test
    void aCurrentRedactedViewFromBeforeTheAllowListIsNotShownInTheDiff() {
        String old = "# Redacted view of config.yaml: secret values replaced by <redacted>\ngeneral_settings:\n"
                + "  master_key: <redacted>\n  database_url: postgresql://llmproxy:fake-old-pgpass-1234@db.example.invalid/litellm\n";
        String now = Bundle.ALLOW_LIST_REDACTION + ": every value not known to be safe is <redacted>\ngeneral_settings:\n"
                + "  master_key: <redacted>\n  database_url: postgresql://<redacted>@db.example.invalid/litellm\n";
        String diff = Planner.diff(old, now, "20261201T000000Z-old");
        assertFalse(diff.contains("fake-old-pgpass"), diff);
        assertTrue(diff.contains("predates the allow-list"), diff);
        assertTrue(diff.contains("+  database_url: postgresql://<redacted>@db.example.invalid/litellm"), diff);
        String again = Planner.diff(now, now.replace("litellm\n", "litellm2\n"), "20261201T000000Z-new");
        assertTrue(again.contains("-  database_url: postgresql://<redacted>@db.example.invalid/litellm\n"), "a current allow-list view is diffed:\n" + again);
    }

    @Test
    void aBareHostGetsEveryStep() throws Exception {
        Bundle b = Fixtures.exampleBundle(dir);
        DeploymentPlan p = new Planner().plan(new HostTarget("h", 22), b, bare(), null, DeploySettings.defaults(), NOW);
        assertEquals(List.of("connect", "preflight", "lock", "read-current", "diff", "upload", "ensure-uv", "ensure-user", "install",
                "restart", "wait-ready", "verify-models", "record", "unlock"), p.steps());
        // daemon-reload and enable run inside install (one helper call): they are its arguments, not steps of their own
        assertEquals(p.releaseId() + " config.yaml litellm.service daemon-reload enable", p.program().stream().filter(s -> s.name().equals("install")).findFirst()
                .orElseThrow().args());
        assertEquals("20261129T060000Z-" + b.bundleId().substring(0, 12), p.releaseId());
        assertTrue(p.diff().startsWith("--- config.yaml (nothing deployed)"), p.diff());
        assertFalse(p.diff().contains("sk-fake"));
    }

    @Test
    void theSameBundleOnAHealthyHostIsANoOp() throws Exception {
        Bundle b = Fixtures.exampleBundle(dir);
        DeploymentPlan p = new Planner().plan(new HostTarget("h", 22), b, running(b), "", DeploySettings.defaults(), NOW);
        assertTrue(p.noop(), p.toString());
        assertFalse(p.steps().contains("restart") || p.steps().contains("upload"), p.steps().toString());
    }

    @Test
    void anInactiveServiceIsStartedEvenWhenNothingChanged() throws Exception {
        Bundle b = Fixtures.exampleBundle(dir);
        HostState s = running(b);
        HostState stopped = new HostState(s.currentRelease(), s.currentBundleId(), s.releases(), "failed", 0, true, s.installedDigests(),
                s.uvVersion(), true, null, BlueGreenState.none());
        DeploymentPlan p = new Planner().plan(new HostTarget("h", 22), b, stopped, "", DeploySettings.defaults(), NOW);
        assertTrue(p.restart());
        assertEquals("service is failed", p.restartReason());
    }

    @Test
    void aPinnedUvVersionReplacesAnotherOne() throws Exception {
        Bundle b = Fixtures.exampleBundle(dir);
        DeploySettings pinned = DeploySettings.defaults().withUv(new UvSource(null, UvSource.OFFICIAL_INSTALLER, "0.9.18"));
        assertTrue(new Planner().plan(new HostTarget("h", 22), b, running(b), "", pinned, NOW).installUv());
    }

    @Test
    void hostSpecsParseWithPortsAndIpv6AndBadOnesAreRefused() {
        assertEquals(new HostTarget("agent", 22), HostTarget.parse("agent", 22));
        assertEquals(new HostTarget("10.0.0.5", 2222), HostTarget.parse("10.0.0.5:2222", 22));
        assertEquals(new HostTarget("::1", 2200), HostTarget.parse("[::1]:2200", 22));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> HostTarget.parse("agent:70000", 22)).getMessage().contains("out of range"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> HostTarget.parse("agent:ssh", 22)).getMessage().contains("not a port"));
        assertThrows(IllegalArgumentException.class, () -> HostTarget.parse("bad host;rm -rf", 22));
        assertThrows(IllegalArgumentException.class, () -> HostTarget.parse(" ", 22));
    }

    private static DeploySettings blueGreen() {
        return DeploySettings.defaults().withStrategy(DeploySettings.Strategy.BLUE_GREEN, DeploySettings.BlueGreen.defaults());
    }

    /** A host where blue is live with the bundle's files, the proxy site in the given state. */
    private static HostState blueLive(Bundle b, String proxy) {
        HostState s = running(b);
        Map<String, String> v = Map.of("bg_live", "blue", "bg_blue_release", s.currentRelease(), "bg_blue_active", "active",
                "bg_live_bundle", b.bundleId(), "bg_proxy", proxy, "bg_nginx", "yes");
        Map<String, String> digests = Map.of("config.yaml", b.manifest().files().get("config.yaml"), "litellm.service",
                b.manifest().files().get("litellm.service"));
        return new HostState(s.currentRelease(), s.currentBundleId(), s.releases(), "inactive", 0, false, Map.of(), s.uvVersion(), true, null,
                BlueGreenState.parse(v, digests));
    }

    @Test
    void smokeRequestsComeAfterTheModelsAndBeforeTheRecordOrTheSwitch() throws Exception {
        Bundle b = Fixtures.exampleBundle(dir);
        Smoke one = Smoke.of(List.of("tiny-scone"), false);
        DeploymentPlan restart = new Planner().plan(new HostTarget("h", 22), b, bare(), null, DeploySettings.defaults().withSmoke(one), NOW);
        assertEquals(List.of("connect", "preflight", "lock", "read-current", "diff", "upload", "ensure-uv", "ensure-user", "install",
                "restart", "wait-ready", "verify-models", "smoke", "record", "unlock"), restart.steps());
        assertTrue(restart.program().contains(new dev.litellmdeploy.deployer.steps.Service.Smoke(4000, List.of("tiny-scone"))), restart.program().toString());
        DeploymentPlan bg = new Planner().plan(new HostTarget("h", 22), b, running(b), "", blueGreen().withSmoke(Smoke.of(List.of(), true)), NOW);
        assertEquals(List.of("connect", "preflight", "lock", "read-current", "diff", "upload", "ensure-proxy", "start-blue", "wait-ready",
                "verify-models", "smoke", "switch", "verify-proxy", "smoke", "record", "drain", "unlock"), bg.steps(),
                "the new color is smoked before any traffic moves, then once through the public port");
        assertTrue(bg.program().stream().anyMatch(st -> st.args().endsWith(String.join(",", b.models()))), "--smoke-all: every model");
        DeploymentPlan noop = new Planner().plan(new HostTarget("h", 22), b, running(b), "", DeploySettings.defaults().withSmoke(one), NOW);
        assertFalse(noop.steps().contains("smoke"), "a no-op sends no paid request: " + noop.steps());
        assertEquals("--smoke names nope, which the bundle does not serve (it serves " + String.join(", ", b.models()) + ")",
                Smoke.of(List.of("nope"), false).refusal(b));
    }

    @Test
    void aRestartHostMovingToBlueGreenStartsBlueThenSwitches() throws Exception {
        Bundle b = Fixtures.exampleBundle(dir);
        DeploymentPlan p = new Planner().plan(new HostTarget("h", 22), b, running(b), "", blueGreen(), NOW);
        assertTrue(p.restart() && p.restartReason().startsWith("first blue-green deploy"), p.toString());
        assertEquals(List.of("connect", "preflight", "lock", "read-current", "diff", "upload", "ensure-proxy", "start-blue", "wait-ready",
                "verify-models", "switch", "verify-proxy", "record", "drain", "unlock"), p.steps());
        // the single service stopped by the switch drains (there is no old color to retire); the commit comes before the clean-up
        assertTrue(p.program().stream().anyMatch(s -> s instanceof dev.litellmdeploy.deployer.steps.BlueGreen.DrainSingle), p.program().toString());
    }

    @Test
    void blueGreenIsANoOpForTheLiveBundleUnlessTheProxySiteDrifted() throws Exception {
        Bundle b = Fixtures.exampleBundle(dir);
        assertTrue(new Planner().plan(new HostTarget("h", 22), b, blueLive(b, "ok"), "", blueGreen(), NOW).noop());
        DeploymentPlan drift = new Planner().plan(new HostTarget("h", 22), b, blueLive(b, "drift"), "", blueGreen(), NOW);
        assertTrue(drift.restart() && drift.restartReason().contains("proxy site is drift") && drift.steps().contains("start-green"),
                drift.toString());
        DeploymentPlan back = new Planner().plan(new HostTarget("h", 22), b, blueLive(b, "ok"), "", DeploySettings.defaults(), NOW);
        assertTrue(back.steps().contains("leave-blue-green") && back.steps().contains("restart"), back.toString());
    }

    @Test
    void aServiceLitellmDeployDidNotInstallIsAdoptedBeforeAnythingChanges() throws Exception {
        Bundle b = Fixtures.exampleBundle(dir);
        HostState s = bare();
        HostState seed = new HostState(null, null, List.of(), "active", 7, true, Map.of(), "0.9.17", true, null, BlueGreenState.none(),
                new Adoption.Found("/etc/systemd/system/litellm.service", "/etc/systemd/system/litellm.service.d/override.conf"));
        DeploymentPlan p = new Planner().plan(new HostTarget("h", 22), b, seed, null, DeploySettings.defaults(), NOW);
        assertEquals("adopting the existing litellm.service (not managed by litellm-deploy): it is saved as release 0-adopted and restored"
                + " if this deploy fails; its drop-ins (/etc/systemd/system/litellm.service.d/override.conf) apply to the new unit too",
                p.adopting());
        assertEquals(List.of("connect", "preflight", "lock", "read-current", "diff", "adopt", "upload"), p.steps().subList(0, 7));
        assertEquals(null, new Planner().plan(new HostTarget("h", 22), b, s, null, DeploySettings.defaults(), NOW).adopting(),
                "a bare host has nothing to adopt");
    }
}
