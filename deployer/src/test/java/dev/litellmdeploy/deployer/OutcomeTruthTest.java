package dev.litellmdeploy.deployer;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.AfterEach;
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

/**
 * A deploy's outcome says what is true on the host afterwards, and its message does not lie
 * (issue 15: "the way failures are classified misreports real cases"). Each test injects one fault,
 * as root in the container, at the moment a step starts, then checks the outcome against the host:
 * {@code systemctl}, the helper's {@code current} symlink, which service holds the public port, what
 * the public port serves, and the last audit line.
 *
 * <p>Faults: a failed {@code record} is a one-shot {@code chmod} failure on the helper's history file
 * (a transient I/O error after {@code current} already moved), a failed {@code bg-drain} a one-shot
 * {@code ss} failure: shims in /usr/local/bin, ahead of the real commands on the helper's PATH, armed
 * when the step starts and consumed by their first matching call, so a rollback's own calls work. A
 * failed {@code bg-switch} is a broken file in /etc/nginx/conf.d (nginx -t refuses, the helper puts the
 * old site back), a failed {@code verify-proxy} nginx stopped, a drain that cannot know the old color's
 * port its port file removed. The stand-in never getting ready makes a first deploy fail.
 *
 * <p>Ordered, one container; every test first deploys what it needs and checks that that succeeded,
 * so each starts from a known release whatever the one before left.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OutcomeTruthTest {
    static final String KEY = "sk-fake-master-key-example-0000000000";
    static final String STATE = "/var/lib/litellm-deploy";
    static final String BG = STATE + "/blue-green";
    static final String FAULT = "/run/outcome-truth-fail-";
    static final String BROKEN_NGINX_SITE = "/etc/nginx/conf.d/zz-outcome-truth-broken.conf";

    @RegisterExtension
    static final TestHost host = new TestHost();

    @TempDir
    static Path work;

    @BeforeAll
    static void oneShotFaultShims() {
        shim("chmod", "[ \"${2:-}\" = " + STATE + "/history ]", "changing permissions of '$2': Input/output error");
        shim("ss", "true", "Cannot open netlink socket: Input/output error");
    }

    /**
     * Puts /usr/local/bin/COMMAND in front of the real one: it passes every call through, except that
     * once armed ({@link #arm}) its first call matching {@code condition} fails, which disarms it.
     */
    static void shim(String command, String condition, String error) {
        String real = host.exec("PATH=/usr/sbin:/usr/bin:/sbin:/bin command -v " + command).strip();
        host.exec("cat > /usr/local/bin/" + command + " <<'EOF'\n"
                + "#!/bin/sh\n"
                + "# OutcomeTruthTest: when armed, the first matching call fails once\n"
                + "if " + condition + " && rm " + FAULT + command + " 2>/dev/null; then\n"
                + "  echo \"" + command + ": " + error + " (injected by OutcomeTruthTest)\" >&2\n"
                + "  exit 1\n"
                + "fi\n"
                + "exec " + real + " \"$@\"\n"
                + "EOF\n"
                + "$(PATH=/usr/bin:/bin command -v chmod) 0755 /usr/local/bin/" + command);
    }

    /** The shell command that arms a shim's one failure. */
    static String arm(String command) {
        return "touch " + FAULT + command;
    }

    @AfterEach
    void disarm() {
        host.exec("rm -f " + FAULT + "* " + BROKEN_NGINX_SITE);
    }

    static DeploySettings restart() throws Exception {
        return Fixtures.settings(work.resolve("uv"));
    }

    static DeploySettings blueGreen() throws Exception {
        return restart().withStrategy(DeploySettings.Strategy.BLUE_GREEN,
                new DeploySettings.BlueGreen(0, 0, Duration.ofSeconds(15), Duration.ZERO, MachinePreparation.nginxPackages()));
    }

    static HostResult deploy(Bundle b, DeploySettings s, DeployListener l) throws Exception {
        return new Deployer(Fixtures.ssh(host, TestHost.ROOT), s, Fixtures.checked(l)).deploy(b, Fixtures.targets(host)).hosts().get(0);
    }

    /** A release that must succeed: the known state a test starts from. */
    static String deployed(String name, DeploySettings s) throws Exception {
        HostResult r = deploy(Fixtures.changedBundle(work, name, Map.of()), s, DeployListener.NONE);
        assertEquals("SUCCESS", r.outcome().name(), "set-up deploy of " + name + ": " + r.message());
        return r.release();
    }

    /** Runs {@code fault} (synchronously, before the step's body) the first time {@code step} starts; later starts are left alone. */
    static DeployListener onFirst(String step, String faultCommand) {
        AtomicBoolean done = new AtomicBoolean();
        return new DeployListener() {
            @Override
            public void stepStarted(HostTarget h, String started) {
                if (started.equals(step) && done.compareAndSet(false, true)) {
                    host.exec(faultCommand);
                }
            }
        };
    }

    static String sh(String command) {
        return host.execResult(command).getStdout().strip();
    }

    static String current() {
        return sh("readlink " + STATE + "/current").replace("releases/", "");
    }

    /** The newest release directory (by mtime). */
    static String newest() {
        return sh("ls -1t " + STATE + "/releases | head -1");
    }

    /** The history `status` reports for the host, one entry per line. */
    static String statusHistory() throws Exception {
        HostStatus st = new Deployer(Fixtures.ssh(host, TestHost.ROOT), restart(), Fixtures.LEAK_CHECKED).status(Fixtures.targets(host)).get(0);
        return String.join("\n", st.history().stream().map(e -> e.time() + " " + e.release() + " " + e.result()).toList());
    }

    static String lastAudit() {
        return sh("tail -1 " + STATE + "/audit.log");
    }

    /** What the public port serves (the bundle's /v1/models), or "" when nothing answers. */
    static String publicModels() {
        return sh("curl -sf -m 5 -H 'Authorization: Bearer " + KEY + "' http://127.0.0.1:4000/v1/models");
    }

    /** The systemd unit whose process listens on the public port (nginx.service, litellm.service, ...), or "". */
    static String publicPortUnit() {
        // the socket's cgroup (ss -e), as the helper's own check reads it: ss -p cannot name the process of a service
        // user's socket in the container (no CAP_SYS_PTRACE), nginx's master runs as root and can be
        return sh("l=$(ss -Hltnep '( sport = :4000 )' | head -1); c=$(grep -o 'cgroup:[^ ]*' <<< \"$l\" | head -1);"
                + " if [ -n \"$c\" ]; then echo \"${c##*/}\"; else pid=$(grep -o 'pid=[0-9]*' <<< \"$l\" | head -1 | cut -d= -f2);"
                + " [ -n \"$pid\" ] && grep -o '[^/]*[.]service$' /proc/$pid/cgroup | head -1; fi");
    }

    static String active(String unit) {
        return sh("systemctl is-active " + unit);
    }

    static boolean serves(String models, String model) {
        return models.contains("\"" + model + "\"");
    }

    static String other(String color) {
        return color.equals("blue") ? "green" : "blue";
    }

    static String excerpt(HostResult r) {
        return r.outcome() + ": " + r.message();
    }

    /** b) Nothing ran before: the failed first release is stopped and disabled, which is not "the previous release was restored". */
    @Test
    @Order(1)
    void aFailedFirstDeployIsReportedAsStoppedNotAsRolledBack() throws Exception {
        HostResult r = deploy(Fixtures.changedBundle(work, "b1", Map.of("LITELLM_STANDIN_READY_DELAY", "600")),
                restart().withReadyTimeout(Duration.ofSeconds(4)), DeployListener.NONE);
        assertAll(
                () -> assertEquals("FAILED_FIRST_DEPLOY_STOPPED", r.outcome().name(), excerpt(r)),
                () -> assertEquals("inactive", active("litellm.service"), "the failed service is stopped"),
                () -> assertEquals("disabled", sh("systemctl is-enabled litellm.service"), "and disabled"),
                () -> assertEquals("", current(), "no release is current"),
                () -> assertEquals("", publicModels(), "nothing serves the public port"),
                () -> assertTrue(lastAudit().contains("failed at wait-ready (the proxy was not ready within 4 s")
                        && lastAudit().contains("service stopped; release marked failed"), "audit says where and why: " + lastAudit()),
                () -> assertEquals("FAILED", sh("ls /var/lib/litellm-deploy/releases/*/ | grep -x FAILED || true"),
                        "a release that failed its own proof is marked bad"),
                () -> assertTrue(r.message().contains("Nothing ran here before"), r.message()),
                () -> assertFalse(r.message().matches("(?is).*(rolled back|restored).*"), "no claim of a restore: " + r.message()));
    }

    /** a) restart: the new release is live when record fails; the previous one is put back and made current again. */
    @Test
    @Order(2)
    void aRecordThatFailsAfterTheNewReleaseIsLiveRollsBackAndSaysSo() throws Exception {
        String previous = deployed("a1", restart());
        HostResult r = deploy(Fixtures.changedBundle(work, "a2", Map.of()), restart(), onFirst("record", arm("chmod")));
        String models = publicModels();
        assertAll(
                () -> assertEquals("FAILED_ROLLED_BACK", r.outcome().name(), excerpt(r)),
                () -> assertEquals(previous, current(), "current points at the restored release"),
                () -> assertEquals("active", active("litellm.service")),
                () -> assertTrue(serves(models, "a1") && !serves(models, "a2"), "the previous release serves: " + models),
                () -> assertTrue(lastAudit().contains("failed at record (recording the release failed") && lastAudit().contains("rolled back to "
                        + previous) && !lastAudit().contains("marked failed"), "audit says where, why and what runs: " + lastAudit()),
                () -> assertEquals("", sh("ls /var/lib/litellm-deploy/releases/" + newest() + "/FAILED 2>/dev/null || true"),
                        "a deploy-time failure does not mark the good release bad"),
                () -> assertTrue(statusHistory().contains("failed at record"), "status shows it: " + statusHistory()),
                () -> assertFalse(r.message().contains("othing was installed"), "the new release was installed and ran: " + r.message()),
                () -> assertTrue(r.message().toLowerCase().contains("record") && r.message().contains(previous),
                        "says the record failed and names the restored release: " + r.message()));
    }

    /** f) first blue-green deploy from restart, record fails after the switch: the single service runs the previous release again. */
    @Test
    @Order(3)
    void aRecordThatFailsAfterTheFirstSwitchToBlueGreenRestoresTheSingleService() throws Exception {
        String previous = deployed("f1", restart());
        HostResult r = deploy(Fixtures.changedBundle(work, "f2", Map.of()), blueGreen(), onFirst("record", arm("chmod")));
        String models = publicModels();
        assertAll(
                () -> assertEquals("FAILED_ROLLED_BACK", r.outcome().name(), excerpt(r)),
                () -> assertEquals("active", active("litellm.service"), "the single service runs again"),
                () -> assertEquals("enabled", sh("systemctl is-enabled litellm.service"), "and starts at boot again"),
                () -> assertEquals("litellm.service", publicPortUnit(), "the single service holds the public port"),
                () -> assertTrue(serves(models, "f1") && !serves(models, "f2"), "the previous release serves: " + models),
                () -> assertEquals(previous, current()),
                () -> assertEquals("inactive", active("litellm-blue.service"), "the new color is stopped"),
                () -> assertTrue(lastAudit().contains("fail"), "audit: " + lastAudit()),
                () -> assertFalse(r.message().contains("othing was installed"), r.message()));
    }

    /** f) the same when the public port does not serve after the switch (verify-proxy): no old color to switch back to. */
    @Test
    @Order(4)
    void aProxyThatDoesNotServeAfterTheFirstSwitchToBlueGreenRestoresTheSingleService() throws Exception {
        String previous = deployed("v1", restart());
        HostResult r = deploy(Fixtures.changedBundle(work, "v2", Map.of()), blueGreen(), onFirst("verify-proxy", "systemctl stop nginx"));
        String models = publicModels();
        assertAll(
                () -> assertEquals("FAILED_ROLLED_BACK", r.outcome().name(), excerpt(r)),
                () -> assertEquals("active", active("litellm.service"), "the single service runs again"),
                () -> assertEquals("litellm.service", publicPortUnit(), "the single service holds the public port"),
                () -> assertTrue(serves(models, "v1") && !serves(models, "v2"), "the previous release serves: " + models),
                () -> assertEquals(previous, current()),
                () -> assertEquals("inactive", active("litellm-blue.service"), "the new color is stopped"),
                () -> assertTrue(lastAudit().contains("fail"), "audit: " + lastAudit()));
    }

    /** c) blue-green live, bg-switch fails (nginx -t refuses): the old color keeps serving, the idle one stops, the failure is audited. */
    @Test
    @Order(5)
    void aSwitchThatFailsLeavesTheOldColorServingStopsTheIdleOneAndAuditsIt() throws Exception {
        String previous = deployed("c1", blueGreen());
        String live = sh("cat " + BG + "/live");
        HostResult r = deploy(Fixtures.changedBundle(work, "c2", Map.of()), blueGreen(),
                onFirst("switch", "echo 'this is not an nginx directive;' > " + BROKEN_NGINX_SITE));
        String models = publicModels();
        assertAll(
                // the helper's bg-switch put the old site back itself: traffic never moved, nothing that served changed
                () -> assertEquals("FAILED_NOTHING_CHANGED", r.outcome().name(), excerpt(r)),
                () -> assertEquals(live, sh("cat " + BG + "/live"), "the live color did not change"),
                () -> assertEquals("nginx.service", publicPortUnit()),
                () -> assertTrue(serves(models, "c1") && !serves(models, "c2"), "the old color serves: " + models),
                () -> assertEquals("active", active("litellm-" + live + ".service")),
                () -> assertEquals("inactive", active("litellm-" + other(live) + ".service"), "the idle color is stopped"),
                () -> assertEquals(previous, current()),
                () -> assertTrue(lastAudit().contains("fail"), "audit: " + lastAudit()),
                () -> assertFalse(r.message().contains("othing was installed"), "the idle color was installed and started: " + r.message()));
    }

    /** d) bg-drain fails after the switch: the new release is live, verified and recorded; only the old color's clean-up failed. */
    @Test
    @Order(6)
    void aDrainThatFailsAfterTheSwitchIsADeployWhoseCleanupFailed() throws Exception {
        deployed("d1", blueGreen());
        String old = sh("cat " + BG + "/live");
        HostResult r = deploy(Fixtures.changedBundle(work, "d2", Map.of()), blueGreen(), onFirst("drain", arm("ss")));
        assertDeployedButCleanupFailed(r, old, "d2");
    }

    /**
     * d) the old color's port file is gone when bg-drain runs: it cannot know which connections to wait
     * for, so the drain failed, and the deploy is not "drained". (Today the helper's cmd_bg_drain does
     * not notice: errexit does not apply inside {@code set -- "$(color_port ...)"}, so ss is asked about
     * {@code sport = :}, which matches every port: it counts the deployer's own SSH connection for the
     * whole drain timeout, then the deploy reports SUCCESS, "blue drained".)
     */
    @Test
    @Order(7)
    void aDrainOfAColorWhosePortIsUnknownIsNotReportedAsDrained() throws Exception {
        deployed("d3", blueGreen());
        String old = sh("cat " + BG + "/live");
        HostResult r = deploy(Fixtures.changedBundle(work, "d4", Map.of()), blueGreen(), onFirst("drain", "rm -f " + BG + "/" + old + ".port"));
        assertDeployedButCleanupFailed(r, old, "d4");
    }

    static void assertDeployedButCleanupFailed(HostResult r, String old, String model) {
        String models = publicModels();
        String fresh = sh("cat " + BG + "/" + other(old) + ".release");
        String drain = r.steps().stream().filter(x -> x.step().equals("drain")).map(x -> x.detail() + " (" + x.took().toMillis() + " ms)")
                .findFirst().orElse("no drain step");
        assertAll(
                () -> assertEquals("DEPLOYED_CLEANUP_FAILED", r.outcome().name(), excerpt(r) + "; drain step: " + drain),
                () -> assertEquals(other(old), sh("cat " + BG + "/live"), "the new color is live"),
                () -> assertTrue(serves(models, model), "the new release serves: " + models),
                () -> assertEquals(fresh, current(), "the new release is recorded as current"),
                () -> assertTrue(lastAudit().contains(fresh), "audit: " + lastAudit()),
                () -> assertTrue(r.message().toLowerCase().contains("drain"), r.message()),
                () -> assertFalse(r.message().contains("othing was installed"), r.message()));
    }

    /** e) blue-green live, record fails after the switch: the old color serves again and its release is current. */
    @Test
    @Order(8)
    void aRecordThatFailsAfterABlueGreenSwitchSwitchesBackToTheOldColor() throws Exception {
        String previous = deployed("e1", blueGreen());
        String live = sh("cat " + BG + "/live");
        HostResult r = deploy(Fixtures.changedBundle(work, "e2", Map.of()), blueGreen(), onFirst("record", arm("chmod")));
        String models = publicModels();
        assertAll(
                () -> assertEquals("FAILED_ROLLED_BACK", r.outcome().name(), excerpt(r)),
                () -> assertEquals(live, sh("cat " + BG + "/live"), "the old color is live again"),
                () -> assertTrue(serves(models, "e1") && !serves(models, "e2"), "the old release serves: " + models),
                () -> assertEquals(previous, current(), "current points at the old release"),
                () -> assertTrue(lastAudit().contains("fail"), "audit: " + lastAudit()),
                () -> assertFalse(r.message().contains("othing was installed"), r.message()),
                () -> assertTrue(r.message().toLowerCase().contains("record") && r.message().contains(previous), r.message()));
    }
}
