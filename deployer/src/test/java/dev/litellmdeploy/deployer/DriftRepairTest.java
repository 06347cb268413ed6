package dev.litellmdeploy.deployer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import dev.litellmdeploy.deployer.bundle.Bundle;
import dev.litellmdeploy.testsupport.MachinePreparation;
import dev.litellmdeploy.testsupport.TestHost;

/**
 * Drift on a real host (issue 16): each kind an operator makes by hand (an edited config, an edited or removed unit, an
 * env file the release has none of, another mode, drop-ins in /etc and /run, in blue-green both colors' files, a live
 * color's drop-in and the nginx site) is seen by status, plan and deploy, and a deploy of the recorded bundle repairs it
 * and says so (result, program, audit line). Ordered: each test starts from what the previous one left.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DriftRepairTest {
    @RegisterExtension
    static final TestHost host = new TestHost();

    @TempDir
    static Path work;

    static Bundle v1;
    static Bundle v2;

    static DeploySettings restart() throws Exception {
        return Fixtures.settings(work.resolve("uv"));
    }

    static DeploySettings blueGreen() throws Exception {
        return restart().withStrategy(DeploySettings.Strategy.BLUE_GREEN,
                new DeploySettings.BlueGreen(0, 0, Duration.ofSeconds(10), Duration.ZERO, MachinePreparation.nginxPackages()));
    }

    static Deployer deployer(DeploySettings settings) {
        return new Deployer(Fixtures.ssh(host, TestHost.ROOT), settings, Fixtures.LEAK_CHECKED);
    }

    static HostResult deploy(Bundle b, DeploySettings settings) throws Exception {
        return deployer(settings).deploy(b, Fixtures.targets(host)).hosts().get(0);
    }

    static DeploymentPlan plan(Bundle b, DeploySettings settings) throws Exception {
        return deployer(settings).plan(b, Fixtures.targets(host)).hosts().get(0).plan();
    }

    static HostStatus status(DeploySettings settings) throws Exception {
        HostStatus s = deployer(settings).status(Fixtures.targets(host)).get(0);
        assertEquals(null, s.error());
        return s;
    }

    static String current() {
        return host.exec("readlink /var/lib/litellm-deploy/current").strip().replace("releases/", "");
    }

    static String sha(String path) {
        return host.exec("sha256sum < " + path + " | cut -d' ' -f1").strip();
    }

    /** status sees exactly these findings, plan lists them with a repair-drift step, deploy repairs them and says so. */
    static HostResult seenEverywhereAndRepaired(Bundle b, DeploySettings settings, List<String> findings) throws Exception {
        HostStatus s = status(settings);
        assertEquals(findings, s.drift().lines(), "status");
        DeploymentPlan p = plan(b, settings);
        assertEquals(findings, p.drift().lines(), "plan");
        assertFalse(p.noop(), "a drifted host is not a no-op");
        assertTrue(p.program().stream().anyMatch(st -> st.name().equals("repair-drift")), p.program().toString());
        assertTrue(p.restartReason().contains("repairs drift"), p.restartReason());
        for (String line : p.drift().lines()) {
            assertFalse(line.contains("sk-fake") || line.contains("hand-edit"), "no line of an installed file is shown: " + line);
        }
        HostResult r = deploy(b, settings);
        assertEquals(HostResult.Outcome.SUCCESS, r.outcome(), r.message());
        assertTrue(r.message().contains("repairs drift"), r.message());
        assertTrue(r.plan().program().stream().anyMatch(st -> st.name().equals("repair-drift")));
        assertEquals(r.plan().steps(), r.steps().stream().map(StepTiming::step).toList(), "what ran is the plan's program");
        String audit = host.exec("tail -n 1 /var/lib/litellm-deploy/audit.log");
        assertTrue(audit.contains("drift repaired: "), audit);
        assertEquals(List.of(), status(settings).drift().lines(), "repaired: status sees no drift");
        return r;
    }

    @Test
    @Order(1)
    void aFreshDeployHasNoDrift() throws Exception {
        v1 = Fixtures.changedBundle(work, "v1", Map.of());
        v2 = Fixtures.changedBundle(work, "v2", Map.of());
        assertEquals(HostResult.Outcome.SUCCESS, deploy(v1, restart()).outcome());
        assertEquals(List.of(), status(restart()).drift().items());
        assertTrue(plan(v1, restart()).noop());
    }

    @Test
    @Order(2)
    void anEditedConfigIsDriftNotOnlySecretValuesAndTheDeployReinstallsIt() throws Exception {
        String release = current();
        host.exec("printf '# hand-edit on the server\\nlitellm_settings_hand: {drop_params: true}\\n' >> /etc/litellm/config.yaml");
        DeploymentPlan p = plan(v1, restart());
        assertEquals("", p.diff(), "the bundle equals the recorded release");
        assertTrue(p.drift().touchesConfig());
        HostResult r = seenEverywhereAndRepaired(v1, restart(), List.of("config.yaml edited on the server (2 lines: +2 -0)"));
        assertEquals(release, r.release(), "the recorded release is installed again");
        assertEquals(sha("/var/lib/litellm-deploy/releases/" + release + "/config.yaml"), sha("/etc/litellm/config.yaml"));
        assertTrue(host.exec("tail -n 1 /var/lib/litellm-deploy/audit.log").contains("drift repaired: config.yaml edited"));
    }

    @Test
    @Order(3)
    void dropInsInEtcAndRunAreMovedAsideIntoTheReleaseAndTheServiceRestartsWithout() throws Exception {
        String release = current();
        host.exec("mkdir -p /etc/systemd/system/litellm.service.d /run/systemd/system/litellm.service.d"
                + " && printf '[Service]\\nEnvironment=HAND_EDIT=1\\n' > /etc/systemd/system/litellm.service.d/override.conf"
                + " && printf '[Service]\\nNoNewPrivileges=false\\n' > /run/systemd/system/litellm.service.d/50-hand.conf"
                + " && systemctl daemon-reload");
        seenEverywhereAndRepaired(v1, restart(), List.of(
                "drop-in /etc/systemd/system/litellm.service.d/override.conf (litellm-deploy installs none; it changes the unit)",
                "drop-in /run/systemd/system/litellm.service.d/50-hand.conf (litellm-deploy installs none; it changes the unit)"));
        assertEquals("", host.exec("systemctl show -p DropInPaths --value litellm").strip());
        String aside = host.exec("ls /var/lib/litellm-deploy/releases/" + release + "/drift-aside/*/");
        assertTrue(aside.contains("_etc_systemd_system_litellm.service.d_override.conf") && aside.contains("_run_systemd_system_litellm.service.d_50-hand.conf"),
                "nothing is lost: " + aside);
        assertFalse(host.exec("cat /proc/$(systemctl show -p MainPID --value litellm)/environ | tr '\\0' '\\n'").contains("HAND_EDIT"),
                "the service runs without the drop-in");
    }

    @Test
    @Order(4)
    void anEditedUnitAnEnvFileTheReleaseHasNoneOfAndAnotherModeAreRepairedByOneDeploy() throws Exception {
        String release = current();
        host.exec("sed -i 's/^NoNewPrivileges=.*/NoNewPrivileges=false/' /etc/systemd/system/litellm.service && systemctl daemon-reload"
                + " && printf 'HAND=1\\n' > /etc/litellm/litellm.env && chmod 0600 /etc/litellm/litellm.env && chmod 0644 /etc/litellm/config.yaml");
        seenEverywhereAndRepaired(v1, restart(), List.of(
                "config.yaml has mode and owner 644 root litellm (/etc/litellm/config.yaml); litellm-deploy installs 640 root litellm",
                "litellm.env present on the server (/etc/litellm/litellm.env), but the release has none",
                "litellm.service edited on the server (2 lines: +1 -1)"));
        assertEquals(sha("/var/lib/litellm-deploy/releases/" + release + "/litellm.service"), sha("/etc/systemd/system/litellm.service"));
        assertEquals("640", host.exec("stat -c %a /etc/litellm/config.yaml").strip());
        assertEquals("no", host.exec("test -e /etc/litellm/litellm.env && echo yes || echo no").strip());
    }

    @Test
    @Order(5)
    void aRemovedConfigIsMissingAndADeployOfANewBundleRepairsItToo() throws Exception {
        host.exec("rm /etc/litellm/config.yaml");
        HostStatus s = status(restart());
        assertEquals(List.of("config.yaml missing on the server (/etc/litellm/config.yaml)"), s.drift().lines());
        DeploymentPlan p = plan(v2, restart());
        assertTrue(p.restartReason().contains("config.yaml changed; repairs drift (config.yaml missing)"), p.restartReason());
        HostResult r = deploy(v2, restart());
        assertEquals(HostResult.Outcome.SUCCESS, r.outcome(), r.message());
        assertTrue(host.exec("tail -n 1 /var/lib/litellm-deploy/audit.log").contains("drift repaired: config.yaml missing"));
        assertEquals(List.of(), status(restart()).drift().items());
    }

    @Test
    @Order(6)
    void blueGreenBothColorsFilesALiveDropInAndTheProxySiteAreDriftAndASwitchRepairsThem() throws Exception {
        assertEquals(HostResult.Outcome.SUCCESS, deploy(v1, blueGreen()).outcome(), "restart -> blue-green, blue live");
        assertEquals(List.of(), status(blueGreen()).drift().items());
        assertEquals(HostResult.Outcome.SUCCESS, deploy(v2, blueGreen()).outcome(), "green live, blue idle");
        assertEquals("green", status(blueGreen()).blueGreen().live());
        assertEquals(List.of(), status(blueGreen()).drift().items());
        host.exec("printf '# hand-edit\\n' >> /etc/litellm/green/config.yaml"
                + " && sed -i 's/^NoNewPrivileges=.*/NoNewPrivileges=false/' /etc/systemd/system/litellm-blue.service"
                + " && mkdir -p /etc/systemd/system/litellm-green.service.d && printf '[Service]\\nNoNewPrivileges=false\\n'"
                + " > /etc/systemd/system/litellm-green.service.d/hand.conf && systemctl daemon-reload"
                + " && printf '# hand-edit\\n' >> /etc/nginx/conf.d/litellm-deploy.conf");
        List<String> findings = List.of("litellm.service of blue edited on the server (2 lines: +1 -1)",
                "config.yaml of green edited on the server (1 line: +1 -0)",
                "drop-in /etc/systemd/system/litellm-green.service.d/hand.conf (litellm-deploy installs none; it changes the unit)",
                "nginx site edited since the deployer wrote it (/etc/nginx/conf.d/litellm-deploy.conf)");
        HostResult r = seenEverywhereAndRepaired(v2, blueGreen(), findings);
        assertTrue(r.plan().restartReason().endsWith(": start blue, then switch"), r.plan().restartReason());
        HostStatus after = status(blueGreen());
        assertEquals("blue", after.blueGreen().live(), "the repair is a switch to a color started with the release's files");
        String rel = after.release();
        assertEquals(sha("/var/lib/litellm-deploy/releases/" + rel + "/config.yaml"), sha("/etc/litellm/green/config.yaml"),
                "the old live color's files are the release's again");
        assertEquals("", host.exec("systemctl show -p DropInPaths --value litellm-green.service").strip());
    }
}
