package dev.litellmdeploy.deployer;

import dev.litellmdeploy.deployer.remote.AuditClaims;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.litellmdeploy.deployer.bundle.Bundle;

/** Drift decided from the helper's facts (pure), and what the planner makes of it. */
class DriftTest {
    @TempDir
    Path dir;

    private static final String A = "a".repeat(64);
    private static final String B = "b".repeat(64);
    private static final Instant NOW = Instant.parse("2026-12-01T06:00:00Z");

    private static String fact(String kind, String color, String path, String have, String want, String mode, int added, int removed) {
        return String.join("|", kind, color, path, have, want, mode, Integer.toString(added), Integer.toString(removed));
    }

    @Test
    void sameDigestsAndTheInstalledModesAreNoDrift() {
        Drift d = Drift.of(List.of(fact("config.yaml", "-", "/etc/litellm/config.yaml", A, A, "640:root:litellm", 0, 0),
                fact("litellm.env", "-", "/etc/litellm/litellm.env", "-", "-", "-", 0, 0),
                fact("litellm.service", "-", "/etc/systemd/system/litellm.service", B, B, "644:root:root", 0, 0)), List.of(), null, "", "litellm");
        assertFalse(d.drifted(), d.toString());
    }

    @Test
    void eachKindOfFileDriftIsNamedWithLineCountsAndNeverALine() {
        Drift d = Drift.of(List.of(fact("config.yaml", "-", "/etc/litellm/config.yaml", A, B, "640:root:litellm", 2, 0),
                fact("litellm.env", "-", "/etc/litellm/litellm.env", A, "-", "600:root:root", 0, 0),
                fact("litellm.service", "-", "/etc/systemd/system/litellm.service", "-", B, "-", 0, 0)), List.of(), null, "", "litellm");
        assertEquals(List.of("config.yaml edited on the server (2 lines: +2 -0)",
                "litellm.env present on the server (/etc/litellm/litellm.env), but the release has none",
                "litellm.service missing on the server (/etc/systemd/system/litellm.service)"), d.lines());
        assertEquals(List.of("config.yaml", "litellm.env", "litellm.service"), d.files(null));
        assertTrue(d.touchesConfig());
        assertEquals("drift repaired: config.yaml edited, litellm.env unexpected, litellm.service missing", d.audit());
    }

    @Test
    void anotherModeOrOwnerIsDriftEvenWithTheSameBytes() {
        Drift d = Drift.of(List.of(fact("litellm.env", "-", "/etc/litellm/litellm.env", A, A, "644:root:root", 0, 0),
                fact("config.yaml", "-", "/etc/litellm/config.yaml", B, B, "640:root:svc", 0, 0)), List.of(), null, "", "svc");
        assertEquals(List.of("litellm.env has mode and owner 644 root root (/etc/litellm/litellm.env); litellm-deploy installs 600 root root"),
                d.lines());
    }

    @Test
    void dropInsTheProxySiteAndColorsAreDrift() {
        Drift d = Drift.of(List.of(fact("litellm.service", "green", "/etc/systemd/system/litellm-green.service", A, B, "644:root:root", 1, 1),
                fact("config.yaml", "blue", "/etc/litellm/blue/config.yaml", A, A, "640:root:litellm", 0, 0)),
                List.of("/run/systemd/system/litellm-blue.service.d/50-x.conf"), "drift", HostState.PROXY_SITE, "litellm");
        assertEquals(List.of("litellm.service of green edited on the server (2 lines: +1 -1)",
                "drop-in /run/systemd/system/litellm-blue.service.d/50-x.conf (litellm-deploy installs none; it changes the unit)",
                "nginx site edited since the deployer wrote it (/etc/nginx/conf.d/litellm-deploy.conf)"), d.lines());
        assertEquals(List.of("litellm.service"), d.files("green"));
        assertEquals(List.of(), d.files("blue"));
        assertTrue(d.dropIns());
        assertFalse(d.touchesConfig());
        assertEquals("drift repaired: litellm.service green edited, drop-in 50-x.conf moved aside, nginx site", d.audit());
        assertEquals(d.audit(), AuditClaims.text(d.audit()), "the audit words are in the helper's charset as they are");
    }

    @Test
    void malformedFactsAreIgnored() {
        assertFalse(Drift.of(List.of("x|y", fact("other.txt", "-", "/x", A, B, "-", 1, 1)), List.of(), "ok", "", "litellm").drifted());
    }

    @Test
    void theStateReplyCarriesDriftFacts() {
        String reply = "protocol=2\ncurrent=r1\nactive=active\n"
                + "drift_file=" + fact("config.yaml", "-", "/etc/litellm/config.yaml", A, B, "640:root:litellm", 1, 0) + "\n"
                + "drift_dropin=/etc/systemd/system/litellm.service.d/override.conf\nbg_live=\nbg_proxy=missing\n";
        Drift d = HostState.parse(reply, RemoteLayout.defaults()).drift();
        assertEquals(2, d.items().size(), d.toString());
        assertEquals(Drift.Kind.DROP_IN, d.items().get(1).kind());
    }

    @Test
    void aRepairIsAProgramStepAndTheSameBundleIsNoLongerANoOp() throws Exception {
        Bundle b = Fixtures.exampleBundle(dir);
        RemoteLayout l = RemoteLayout.defaults();
        String release = "20261128T000000Z-" + b.bundleId().substring(0, 12);
        Drift drift = Drift.of(List.of(), List.of("/etc/systemd/system/litellm.service.d/override.conf"), null, "", "litellm");
        HostState s = new HostState(release, b.bundleId(), List.of(release), "active", 42, true,
                Map.of(l.configPath(), b.manifest().files().get("config.yaml"), l.unitPath(), b.manifest().files().get("litellm.service")),
                "0.9.17", true, null, BlueGreenState.none(), null, List.of(), drift);
        DeploymentPlan p = new Planner().plan(new HostTarget("h", 22), b, s, "", DeploySettings.defaults(), NOW);
        assertFalse(p.noop());
        assertEquals(release, p.releaseId(), "the recorded release is installed again, nothing uploaded");
        assertEquals(List.of("repair-drift", "restart", "wait-ready", "verify-models", "record"), p.program().stream().map(st -> st.name()).toList());
        assertTrue(p.restartReason().startsWith("repairs drift (drop-in override.conf moved aside)"), p.restartReason());
    }

    @Test
    void filesAnEarlierDeployOfThisBundleInstalledAreNotARepair() {
        Drift d = Drift.of(List.of(fact("config.yaml", "-", "/etc/litellm/config.yaml", A, B, "640:root:litellm", 2, 0),
                fact("litellm.service", "-", "/etc/systemd/system/litellm.service", B, A, "644:root:root", 1, 1)), List.of(), null, "", "litellm");
        assertEquals(List.of("litellm.service"), d.exceptInstalledFrom(Map.of("config.yaml", A, "litellm.service", "c".repeat(64))).files(null));
    }

    @Test
    void aStoppedServiceIsStillSaidBesideTheRepair() throws Exception {
        Bundle b = Fixtures.exampleBundle(dir);
        RemoteLayout l = RemoteLayout.defaults();
        String release = "20261128T000000Z-" + b.bundleId().substring(0, 12);
        HostState s = new HostState(release, b.bundleId(), List.of(release), "failed", 0, true,
                Map.of(l.configPath(), b.manifest().files().get("config.yaml"), l.unitPath(), b.manifest().files().get("litellm.service")),
                "0.9.17", true, null, BlueGreenState.none(), null, List.of(),
                Drift.of(List.of(), List.of("/run/systemd/system/litellm.service.d/x.conf"), null, "", "litellm"));
        DeploymentPlan p = new Planner().plan(new HostTarget("h", 22), b, s, "", DeploySettings.defaults(), NOW);
        assertEquals("service is failed; repairs drift (drop-in x.conf moved aside)", p.restartReason());
    }
}
