package dev.litellmdeploy.deployer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import dev.litellmdeploy.deployer.bundle.Bundle;
import dev.litellmdeploy.testsupport.TestHost;

/**
 * One bare host through a release's life: first deploy, changed config, no-op, a broken release
 * rolled back, concurrent deploys. Ordered: each test starts from what the previous one left.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DeployLifecycleTest {
    @RegisterExtension
    static final TestHost host = new TestHost().withoutUv();

    @TempDir
    static Path work;

    private static final List<String> events = Collections.synchronizedList(new ArrayList<>());
    private static final Map<String, String> details = new java.util.concurrent.ConcurrentHashMap<>();

    private static final DeployListener recorder = new DeployListener() {
        @Override
        public void stepFinished(HostTarget h, String step, java.time.Duration took, String detail) {
            events.add(step);
            details.put(step, detail);
        }
    };

    private static HostResult deploy(Bundle bundle) throws Exception {
        events.clear();
        details.clear();
        DeployResult result = new Deployer(Fixtures.ssh(host, TestHost.ROOT), Fixtures.settings(work.resolve("uv")), Fixtures.checked(recorder))
                .deploy(bundle, Fixtures.targets(host));
        return result.hosts().get(0);
    }

    private static String mainPid() {
        return host.exec("systemctl show -p MainPID --value litellm").strip();
    }

    private static String models() {
        return host.exec("curl -sf -H 'Authorization: Bearer sk-fake-master-key-example-0000000000' http://127.0.0.1:4000/v1/models");
    }

    @Test
    @Order(1)
    void firstDeployToABareHostEndsWithTheStandInServingTheBundlesModelsAsTheLitellmUser() throws Exception {
        assertFalse(host.execResult("command -v uvx").getExitCode() == 0, "the host starts without uv");
        HostResult r = deploy(Fixtures.exampleBundle(work.resolve("b1")));
        assertEquals(HostResult.Outcome.SUCCESS, r.outcome(), r.message());
        assertEquals(List.of("connect", "preflight", "lock", "read-current", "diff", "upload", "ensure-uv", "ensure-user", "install", "restart",
                "wait-ready", "verify-models", "record", "unlock"), events, "steps in order");
        assertTrue(details.get("install").contains("daemon-reload") && details.get("install").contains("enable"), details.toString());
        String served = models();
        for (String m : List.of("frontier-muffin", "scone-large", "tiny-scone", "local-crumpet")) {
            assertTrue(served.contains("\"" + m + "\""), served);
        }
        assertEquals("litellm", host.exec("ps -o user= -p " + mainPid()).strip());
        assertEquals("640 root litellm", host.exec("stat -c '%a %U %G' /etc/litellm/config.yaml").strip());
        assertEquals("750 root litellm", host.exec("stat -c '%a %U %G' /etc/litellm").strip());
        assertEquals("644 root root", host.exec("stat -c '%a %U %G' /etc/systemd/system/litellm.service").strip());
        assertEquals("700 root", host.exec("stat -c '%a %U' /var/lib/litellm-deploy/releases/" + r.release()).strip());
        assertEquals(r.release(), host.exec("readlink /var/lib/litellm-deploy/current").strip().replace("releases/", ""));
        assertTrue(host.exec("/usr/local/lib/litellm-deploy/uv/uvx --version").contains("0.9.17"));
        String audit = host.exec("cat /var/lib/litellm-deploy/audit.log");
        assertTrue(audit.contains("\"actor\":\"test-actor@ci\"") && audit.contains("\"result\":\"success\""), audit);
        assertFalse(host.exec("grep -rl sk-fake /tmp /var/tmp 2>/dev/null || true").contains("/"), "no secret under /tmp");
        assertFalse(host.exec("journalctl --no-pager -o cat | grep -c 'GET /health ' || true").strip().matches("[1-9]\\d*"),
                "the paid /health endpoint is never called");
    }

    @Test
    @Order(2)
    void redeployWithAChangedConfigRestartsOnceAndServesTheNewModels() throws Exception {
        String pidBefore = mainPid();
        String startsBefore = host.exec("journalctl -u litellm --no-pager -o cat | grep -c 'Uvicorn running' || true").strip();
        HostResult r = deploy(Fixtures.exampleBundle(work.resolve("b2"),
                Map.of("40-extra", "- model_name: extra-eclair\n  litellm_params: {model: openai/eclair}\n"), Map.of()));
        assertEquals(HostResult.Outcome.SUCCESS, r.outcome(), r.message());
        assertEquals(List.of("config.yaml"), r.plan().changedFiles());
        assertEquals("config.yaml", details.get("install"), "the unit did not change, nothing to reload or enable");
        assertNotEquals(pidBefore, mainPid());
        String startsAfter = host.exec("journalctl -u litellm --no-pager -o cat | grep -c 'Uvicorn running' || true").strip();
        assertEquals(Integer.parseInt(startsBefore) + 1, Integer.parseInt(startsAfter), "exactly one restart");
        assertTrue(models().contains("\"extra-eclair\""));
        assertTrue(r.plan().diff().contains("+  - model_name: extra-eclair"), r.plan().diff());
        assertFalse(r.plan().diff().contains("sk-fake"), r.plan().diff());
    }

    @Test
    @Order(3)
    void noOpDeployDoesNotRestartTheService() throws Exception {
        String pidBefore = mainPid();
        HostResult r = deploy(Fixtures.exampleBundle(work.resolve("b2-again"),
                Map.of("40-extra", "- model_name: extra-eclair\n  litellm_params: {model: openai/eclair}\n"), Map.of()));
        assertEquals(HostResult.Outcome.NOOP, r.outcome(), r.message());
        assertEquals(pidBefore, mainPid());
        assertFalse(events.contains("upload") || events.contains("install") || events.contains("restart"), events.toString());
    }

    @Test
    @Order(4)
    void aReleaseThatFailsToStartIsRolledBackAndThePreviousOneServesAgain() throws Exception {
        String current = host.exec("readlink /var/lib/litellm-deploy/current").strip();
        Bundle broken = Fixtures.configBundle(work.resolve("broken"), "model_list:\n  - model_name: doomed\n"
                + "    litellm_params: {model: openai/doomed}\n"
                + "general_settings:\n  master_key: os.environ/LITELLM_DEPLOY_TEST_UNSET_VARIABLE\n");
        HostResult r = deploy(broken);
        assertEquals(HostResult.Outcome.FAILED_ROLLED_BACK, r.outcome(), r.message());
        assertTrue(r.message().contains("LITELLM_DEPLOY_TEST_UNSET_VARIABLE"), "the journal tail explains: " + r.message());
        assertTrue(r.message().contains("Rolled back to"), r.message());
        assertEquals(current, host.exec("readlink /var/lib/litellm-deploy/current").strip());
        assertTrue(models().contains("\"extra-eclair\""), "the previous release serves again");
        assertEquals("active", host.exec("systemctl is-active litellm").strip());
    }

    @Test
    @Order(5)
    void twoConcurrentDeploysNeverInterleave() throws Exception {
        Bundle slow = Fixtures.exampleBundle(work.resolve("slow"), Map.of(), Map.of("LITELLM_STANDIN_READY_DELAY", "4"));
        DeploySettings settings = Fixtures.settings(work.resolve("uv")).withLockTimeout(java.time.Duration.ofSeconds(1));
        List<HostResult> results = Collections.synchronizedList(new ArrayList<>());
        Runnable one = () -> {
            try {
                results.add(new Deployer(Fixtures.ssh(host, TestHost.ROOT), settings, Fixtures.LEAK_CHECKED).deploy(slow, Fixtures.targets(host)).hosts().get(0));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        };
        Thread a = new Thread(one);
        Thread b = new Thread(one);
        a.start();
        b.start();
        a.join(120_000);
        b.join(120_000);
        assertEquals(2, results.size());
        long succeeded = results.stream().filter(x -> x.outcome() == HostResult.Outcome.SUCCESS).count();
        HostResult other = results.stream().filter(x -> x.outcome() != HostResult.Outcome.SUCCESS).findFirst().orElseThrow();
        assertEquals(1, succeeded, results.toString());
        assertEquals(HostResult.Outcome.FAILED_NOTHING_CHANGED, other.outcome(), other.message());
        assertTrue(other.message().contains("another deploy holds the lock") && other.message().contains("test-actor@ci since"),
                other.message());
        assertEquals("0", host.exec("ls /var/lib/litellm-deploy/releases | grep -c partial || true").strip());
    }

    @Test
    @Order(6)
    void statusShowsTheCurrentReleaseItsReadinessAndModels() throws Exception {
        HostStatus status = new Deployer(Fixtures.ssh(host, TestHost.ROOT), Fixtures.settings(work.resolve("uv")), Fixtures.LEAK_CHECKED)
                .status(Fixtures.targets(host)).get(0);
        assertEquals(host.exec("readlink /var/lib/litellm-deploy/current").strip().replace("releases/", ""), status.release());
        assertEquals("active", status.activeState());
        assertTrue(status.ready());
        assertTrue(status.models().contains("frontier-muffin"), status.models().toString());
        assertTrue(status.releases().size() >= 3, status.releases().toString());
    }

    @Test
    @Order(7)
    void rollbackSwitchesToThePreviousReleaseAndProvesItReady() throws Exception {
        Deployer deployer = new Deployer(Fixtures.ssh(host, TestHost.ROOT), Fixtures.settings(work.resolve("uv")), Fixtures.LEAK_CHECKED);
        HostStatus before = deployer.status(Fixtures.targets(host)).get(0);
        String previous = before.releases().get(before.releases().indexOf(before.release()) - 1);
        HostResult r = deployer.rollback(Fixtures.targets(host), null).hosts().get(0);
        assertEquals(HostResult.Outcome.SUCCESS, r.outcome(), r.message());
        assertEquals(previous, r.release());
        assertEquals("releases/" + previous, host.exec("readlink /var/lib/litellm-deploy/current").strip());
        assertTrue(host.exec("tail -1 /var/lib/litellm-deploy/audit.log").contains("\"result\":\"rollback\""));

        HostResult unknown = deployer.rollback(Fixtures.targets(host), "19990101T000000Z-nothere").hosts().get(0);
        assertEquals(HostResult.Outcome.FAILED_NOTHING_CHANGED, unknown.outcome());
        assertTrue(unknown.message().contains("is not on"), unknown.message());
    }

    @Test
    @Order(8)
    void logsShowTheServicesJournal() throws Exception {
        List<String> lines = new ArrayList<>();
        new Deployer(Fixtures.ssh(host, TestHost.ROOT), Fixtures.settings(work.resolve("uv")), Fixtures.LEAK_CHECKED)
                .logs(Fixtures.target(host), 50, false, lines::add);
        assertTrue(lines.stream().anyMatch(l -> l.contains("Uvicorn running")), lines.toString());
    }

    @Test
    @Order(9)
    void envFileModeInstallsTheSecretsRootOnlyAndTheProxyReadsThemFromTheEnvironment() throws Exception {
        HostResult r = deploy(Fixtures.exampleEnvFileBundle(work.resolve("env")));
        assertEquals(HostResult.Outcome.SUCCESS, r.outcome(), r.message());
        assertTrue(r.plan().changedFiles().containsAll(List.of("config.yaml", "litellm.env", "litellm.service")), r.plan().changedFiles().toString());
        assertEquals("600 root root", host.exec("stat -c '%a %U %G' /etc/litellm/litellm.env").strip());
        assertFalse(host.exec("cat /etc/litellm/config.yaml").contains("sk-fake"), "no secret left in config.yaml");
        assertTrue(host.exec("cat /etc/systemd/system/litellm.service").contains("EnvironmentFile=/etc/litellm/litellm.env"));
        assertTrue(models().contains("\"frontier-muffin\""), "the master key reached the proxy through the environment");
        assertFalse(host.exec("ps -eo args").contains("sk-fake"), "no secret in any process's arguments");

        HostResult back = deploy(Fixtures.exampleBundle(work.resolve("inline-again")));
        assertEquals(HostResult.Outcome.SUCCESS, back.outcome(), back.message());
        assertEquals("1", host.execResult("test -e /etc/litellm/litellm.env; echo $?").getStdout().strip(), "leaving env-file mode removes the file");
    }

    /**
     * systemd refuses a sixth start within 10 s ("start of the service was attempted too often"): a
     * deploy's own restart must not count earlier deploys' restarts against it. Twelve deploys of
     * alternating bundles, back to back, all succeed (a release that crash-loops is still rolled
     * back: FaultMatrixTest's crash-after-ready case).
     */
    @Test
    @Order(10)
    void twelveDeploysOfAlternatingBundlesInQuickSuccessionAllSucceed() throws Exception {
        Bundle a = Fixtures.exampleBundle(work.resolve("quick-a"));
        Bundle b = Fixtures.changedBundle(work.resolve("quick-b"), "quick-model", java.util.Map.of());
        long start = System.nanoTime();
        for (int i = 0; i < 12; i++) {
            HostResult r = deploy(i % 2 == 0 ? b : a);
            assertEquals(HostResult.Outcome.SUCCESS, r.outcome(), "deploy " + (i + 1) + " of 12: " + r.message());
            assertTrue(events.contains("restart"), "deploy " + (i + 1) + " restarted the service");
        }
        System.out.printf("12 alternating deploys took %.1f s%n", (System.nanoTime() - start) / 1e9);
    }

    /** Right after those quick deploys, a release that crashes on every start is still caught and rolled back, and marked bad. */
    @Test
    @Order(11)
    void aReleaseThatCrashLoopsRightAfterTheQuickDeploysIsStillRolledBackAndMarkedFailed() throws Exception {
        String before = host.exec("readlink /var/lib/litellm-deploy/current").strip();
        Bundle crashing = Fixtures.changedBundle(work.resolve("crash-loop"), "crash-model",
                java.util.Map.of("LITELLM_STANDIN_READY_DELAY", "5", "LITELLM_STANDIN_CRASH_AFTER", "0.5"));
        HostResult r = deploy(crashing);
        assertEquals(HostResult.Outcome.FAILED_ROLLED_BACK, r.outcome(), r.message());
        assertTrue(r.message().contains("the service did not start"), r.message());
        assertEquals(before, host.exec("readlink /var/lib/litellm-deploy/current").strip(), "the previous release is current again");
        assertEquals("FAILED", host.exec("cd /var/lib/litellm-deploy/releases && test -e \"$(ls -t | head -1)/FAILED\" && echo FAILED").strip(),
                "a release that crash-loops failed its own proof: marked bad");
    }
}
