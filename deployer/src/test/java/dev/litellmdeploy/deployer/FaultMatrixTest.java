package dev.litellmdeploy.deployer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import dev.litellmdeploy.deployer.bundle.Bundle;
import dev.litellmdeploy.deployer.ssh.HostKeyPolicy;
import dev.litellmdeploy.deployer.ssh.SshSettings;
import dev.litellmdeploy.testsupport.MachinePreparation;
import dev.litellmdeploy.testsupport.TcpRelay;
import dev.litellmdeploy.testsupport.TestHost;
import dev.litellmdeploy.testsupport.UvStandIn;

/**
 * The fault matrix (docs/faults.md): each fault injected into a real deploy against the systemd +
 * OpenSSH host, reached through a relay so connections can be cut and a reboot's new port hidden.
 * After each, the host runs a known release (the first one, v1) and the report says what happened.
 * The GitHub API faults (500s, 403) are in the entrypoint's bad-input corpus and GitHubDeploymentsTest.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FaultMatrixTest {
    @RegisterExtension
    static final TestHost host = new TestHost();

    @TempDir
    static Path work;

    static TcpRelay relay;
    static String v1;
    static String v1Config;
    static final List<String> REPORT = new ArrayList<>();

    @BeforeAll
    static void v1Runs() throws Exception {
        relay = new TcpRelay(host.host(), host.sshPort(), 0);
        Bundle first = Fixtures.exampleBundle(work.resolve("v1"), Map.of(), Map.of("LITELLM_STANDIN_STOP_DELAY", "2"));
        HostResult r = deploy(first, settings());
        assertEquals(HostResult.Outcome.SUCCESS, r.outcome(), r.message());
        v1 = r.release();
        v1Config = host.exec("sha256sum /etc/litellm/config.yaml");
    }

    @AfterAll
    static void writeReport() throws Exception {
        relay.close();
        Files.writeString(MachinePreparation.projectRoot().resolve("deployer/target/fault-matrix.txt"), String.join("\n", REPORT) + "\n");
    }

    static DeploySettings settings() throws Exception {
        return Fixtures.settings(work.resolve("uv")).withReadyTimeout(Duration.ofSeconds(40));
    }

    static SshSettings viaRelay() {
        return new SshSettings("root", host.keys().privateKeyOpenSsh(), null, HostKeyPolicy.fingerprint(host.hostKeyFingerprint()), null,
                Duration.ofSeconds(10));
    }

    static HostResult deploy(Bundle bundle, DeploySettings settings) throws Exception {
        return deploy(bundle, settings, DeployListener.NONE);
    }

    static HostResult deploy(Bundle bundle, DeploySettings settings, DeployListener listener) throws Exception {
        return new Deployer(viaRelay(), settings, Fixtures.checked(listener)).deploy(bundle, List.of(new HostTarget(host.host(), relay.port())))
                .hosts().get(0);
    }

    static Bundle changed(String name, Map<String, String> unitEnv) throws Exception {
        return Fixtures.changedBundle(work, name, unitEnv);
    }

    /** The known release: v1's files, current, active, serving v1's models and none of the failed ones. */
    static void assertV1Serves(String fault, HostResult r, long tookMs) {
        String models = host.exec("curl -sf -H 'Authorization: Bearer sk-fake-master-key-example-0000000000' http://127.0.0.1:4000/v1/models");
        assertEquals(v1, host.exec("readlink /var/lib/litellm-deploy/current").strip().replace("releases/", ""), fault);
        assertEquals("active", host.exec("systemctl is-active litellm.service").strip(), fault);
        assertEquals(v1Config, host.exec("sha256sum /etc/litellm/config.yaml"), fault);
        assertTrue(models.contains("frontier-muffin"), models);
        assertFalse(models.matches("(?s).*\"(drop|reboot|crash|hang|doomed)\".*"), models);
        REPORT.add(String.format("%-24s | %-18s | %6d ms | v1 running and ready | %s", fault, r.outcome(), tookMs,
                r.message().lines().filter(l -> !l.isBlank()).limit(3).reduce((a, b) -> a + " / " + b).orElse("")));
    }

    @Test
    @Order(1)
    void theConnectionDropsDuringRestartReconnectsAndRollsBack() throws Exception {
        DeployListener cutDuringRestart = onStep("restart", 700, relay::cut);
        long start = System.nanoTime();
        HostResult r = deploy(changed("drop", Map.of()), settings(), cutDuringRestart);
        long took = (System.nanoTime() - start) / 1_000_000;
        assertEquals(HostResult.Outcome.FAILED_ROLLED_BACK, r.outcome(), r.message());
        assertTrue(r.message().contains("the connection was lost") && r.message().contains("Rolled back to " + v1), r.message());
        assertTrue(r.steps().stream().anyMatch(s -> s.step().equals("reconnect")), r.steps().toString());
        assertV1Serves("connection drop (restart)", r, took);
    }

    @Test
    @Order(2)
    void theServiceCrashingAfterItIsReadyIsCaughtBySettleAndRolledBack() throws Exception {
        long start = System.nanoTime();
        HostResult r = deploy(changed("crash", Map.of("LITELLM_STANDIN_CRASH_AFTER", "1.5")), settings().withSettle(Duration.ofSeconds(4)));
        long took = (System.nanoTime() - start) / 1_000_000;
        assertEquals(HostResult.Outcome.FAILED_ROLLED_BACK, r.outcome(), r.message());
        assertTrue(r.message().contains("did not stay up for 4 s"), r.message());
        assertTrue(r.message().contains("crashing 1.5 s after start"), "the journal tail shows why: " + r.message());
        assertV1Serves("crash after ready", r, took);
    }

    @Test
    @Order(3)
    void aSystemctlThatHangsPastTheCommandTimeoutFailsTheStepAndRollsBack() throws Exception {
        changed("hang", Map.of());
        Path templates = work.resolve("hang/templates");
        String unit = Files.readString(MachinePreparation.projectRoot().resolve("templates/litellm.service.mustache"));
        Files.writeString(templates.resolve("litellm.service.mustache"), unit.replace("ExecStart=", "ExecStartPre=/bin/sleep 60\nExecStart="));
        Bundle hang = Fixtures.rebuild(templates, work.resolve("hang/bundle2"));
        long start = System.nanoTime();
        HostResult r = deploy(hang, settings().withCommandTimeout(Duration.ofSeconds(5)));
        long took = (System.nanoTime() - start) / 1_000_000;
        assertEquals(HostResult.Outcome.FAILED_ROLLED_BACK, r.outcome(), r.message());
        assertTrue(r.message().contains("restart on root@" + host.host() + ":" + relay.port() + " did not finish within 5 s"), r.message());
        assertV1Serves("systemctl hangs", r, took);
    }

    @Test
    @Order(4)
    void aDeployerKilledWhileHoldingTheLockFreesItAndTheNextDeployFinishesTheJob() throws Exception {
        Bundle doomed = changed("doomed", Map.of("LITELLM_STANDIN_READY_DELAY", "3"));
        Files.writeString(work.resolve("key"), host.keys().privateKeyOpenSsh());
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", System.getProperty("java.class.path"),
                DeployMain.class.getName(), doomed.dir().toString(), host.host(), Integer.toString(relay.port()), work.resolve("key").toString(),
                host.hostKeyFingerprint(), UvStandIn.archive(work.resolve("uv")).toString());
        Process child = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null && !line.equals("STEP wait-ready")) {
                assertFalse(line.startsWith("RESULT"), line);
            }
            assertTrue(line != null, "the child reached wait-ready");
            assertTrue(host.exec("cat /var/lib/litellm-deploy/lock.info").contains("doomed-deployer"));
            child.destroyForcibly();
            assertTrue(child.waitFor(10, TimeUnit.SECONDS));
        }
        long start = System.nanoTime();
        HostResult r = deploy(doomed, settings().withLockTimeout(Duration.ofSeconds(30)));
        long took = (System.nanoTime() - start) / 1_000_000;
        assertEquals(HostResult.Outcome.SUCCESS, r.outcome(), r.message());
        Duration lockWait = r.steps().stream().filter(s -> s.step().equals("lock")).findFirst().orElseThrow().took();
        assertTrue(lockWait.toSeconds() < 5, "the dead deployer's lock was free: waited " + lockWait.toMillis() + " ms");
        assertEquals(r.release(), host.exec("readlink /var/lib/litellm-deploy/current").strip().replace("releases/", ""));
        REPORT.add(String.format("%-24s | %-18s | %6d ms | the next deploy took the lock after %d ms and finished the job", "deployer killed (lock)",
                r.outcome(), took, lockWait.toMillis()));
        HostResult back = new Deployer(viaRelay(), settings(), Fixtures.LEAK_CHECKED).rollback(List.of(new HostTarget(host.host(), relay.port())), v1)
                .hosts().get(0);
        assertEquals(HostResult.Outcome.SUCCESS, back.outcome(), back.message());
    }

    @Test
    @Order(5)
    void theHostRebootingDuringWaitReadyIsReconnectedToAndRolledBack() throws Exception {
        DeployListener rebootWhileWaiting = onStep("wait-ready", 1000, () -> {
            relay.retarget(host.reboot());
            relay.cut();
        });
        long start = System.nanoTime();
        HostResult r = deploy(changed("reboot", Map.of("LITELLM_STANDIN_READY_DELAY", "60")), settings(), rebootWhileWaiting);
        long took = (System.nanoTime() - start) / 1_000_000;
        assertEquals(HostResult.Outcome.FAILED_ROLLED_BACK, r.outcome(), r.message());
        assertTrue(r.message().contains("the connection was lost") && r.message().contains("Rolled back to " + v1), r.message());
        assertV1Serves("host reboot (wait-ready)", r, took);
    }

    @Test
    @Order(6)
    void aFullDiskWhereReleasesAreWrittenIsRefusedBeforeAnythingChanges() throws Exception {
        host.exec("mkdir -p /mnt/state && cp -a /var/lib/litellm-deploy/. /mnt/state/ && mount -t tmpfs -o size=1m tmpfs /var/lib/litellm-deploy"
                + " && cp -a /mnt/state/. /var/lib/litellm-deploy/"
                + " && fallocate -l $(( $(df -Pk /var/lib/litellm-deploy | awk 'NR>1 {print $4}') * 1024 - 40960 )) /var/lib/litellm-deploy/filler");
        try {
            String pid = host.exec("systemctl show -p MainPID --value litellm.service");
            long start = System.nanoTime();
            HostResult r = deploy(changed("full", Map.of()), settings());
            long took = (System.nanoTime() - start) / 1_000_000;
            assertEquals(HostResult.Outcome.FAILED_NOTHING_CHANGED, r.outcome(), r.message());
            assertTrue(r.message().matches("(?s).*only \\d+ KiB free on /var/lib/litellm-deploy, where releases are written.*"), r.message());
            assertEquals(pid, host.exec("systemctl show -p MainPID --value litellm.service"), "not restarted");
            assertV1Serves("disk full (releases)", r, took);
        } finally {
            host.exec("umount /var/lib/litellm-deploy");
        }
    }

    /** Runs the fault {@code millis} after the step starts, beside the deploy. */
    private static DeployListener onStep(String step, long millis, Runnable fault) {
        return new DeployListener() {
            @Override
            public void stepStarted(HostTarget h, String started) {
                if (started.equals(step)) {
                    later(millis, fault);
                }
            }
        };
    }

    private static void later(long millis, Runnable action) {
        Thread t = new Thread(() -> {
            try {
                Thread.sleep(millis);
                action.run();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        t.setDaemon(true);
        t.start();
    }
}
