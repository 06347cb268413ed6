package dev.litellmdeploy.deployer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.containers.Container.ExecResult;

import dev.litellmdeploy.deployer.bundle.Bundle;
import dev.litellmdeploy.testsupport.RealLiteLlm;
import dev.litellmdeploy.testsupport.TestHost;

/**
 * {@code deploy --wheelhouse}: the deployer uploads the wheelhouse (from tools/prepare-wheelhouse) to an offline host
 * through the restricted helper, once per content, and the real LiteLLM installs from it; a file whose digest does not
 * match the list is refused with nothing installed.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RealLiteLlmWheelhouseTest {
    private static final Path REPORT = Path.of("target", "real-litellm-report.txt");

    @RegisterExtension
    static final TestHost host = new TestHost().withoutUv();

    @TempDir
    static Path work;

    private static RealLiteLlm litellm;
    private static Wheelhouse wheelhouse;

    @BeforeAll
    static void prepare() {
        litellm = RealLiteLlm.prepare(RealLiteLlm.SEED_VERSION);
        wheelhouse = Wheelhouse.read(litellm.wheelhouse());
        RestrictedUser.setUp(host);
    }

    private static Map<String, String> unitEnv(Wheelhouse w) {
        Map<String, String> env = new LinkedHashMap<>(w.unitEnvironment(RemoteLayout.defaults()));
        env.put("LITELLM_LOCAL_MODEL_COST_MAP", "True");
        return env;
    }

    private static HostResult deploy(Bundle bundle, Wheelhouse w) throws Exception {
        DeploySettings settings = DeploySettings.defaults().withUv(UvSource.localFile(litellm.uvArchive()))
                .withReadyTimeout(Duration.ofMinutes(5)).withActor("test-actor@ci").withSudoHelper(RestrictedUser.HELPER).withWheelhouse(w);
        return new Deployer(Fixtures.ssh(host, RestrictedUser.NAME), settings, Fixtures.LEAK_CHECKED).deploy(bundle, Fixtures.targets(host))
                .hosts().get(0);
    }

    private static StepTiming step(HostResult r, String name) {
        return r.steps().stream().filter(s -> s.step().equals(name)).findFirst().orElse(null);
    }

    private static void report(String line) throws Exception {
        Files.createDirectories(REPORT.getParent());
        Files.writeString(REPORT, line + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    @Test
    @Order(1)
    void aWheelhouseFileWhoseDigestDoesNotMatchTheListIsRefusedWithNothingChanged() throws Exception {
        Map<String, String> lying = new LinkedHashMap<>(wheelhouse.sha256ByName());
        String victim = lying.keySet().stream().filter(n -> n.startsWith("litellm-")).findFirst().orElseThrow();
        lying.put(victim, Bundle.sha256("a wheel the deployer was told about".getBytes(StandardCharsets.UTF_8)));
        Wheelhouse tampered = Wheelhouse.of(wheelhouse.dir(), lying);
        HostResult r = deploy(Fixtures.exampleBundle(work.resolve("tampered"), Map.of(), unitEnv(tampered)), tampered);

        assertEquals(HostResult.Outcome.FAILED_NOTHING_CHANGED, r.outcome(), r.message());
        assertTrue(r.message().contains("does not match the digest") && r.message().contains("Nothing was installed"), r.message());
        assertEquals("", host.exec("ls -A /var/lib/litellm-deploy/wheelhouses 2>/dev/null").strip(), "no wheelhouse, no .partial left");
        assertEquals("", host.exec("ls -A /var/lib/litellm-deploy/staging/" + RestrictedUser.NAME).strip(), "the staging folder is emptied");
        assertFalse(host.execResult("test -e /etc/systemd/system/litellm.service").getExitCode() == 0, "no unit was installed");
    }

    @Test
    @Order(2)
    void theRestrictedHelperRefusesAWheelhouseListWithAPathAHiddenFileOrAnUnsortedDuplicate() {
        String sha = "0".repeat(64);
        for (String list : List.of(sha + "  ../evil.whl\n", sha + "  .hidden.whl\n", sha + "  sub/x.whl\n", sha + "  setup.py\n",
                sha + "  b.whl\n" + sha + "  a.whl\n", sha + "  a.whl\n" + sha + "  a.whl\n")) {
            String digest = Bundle.sha256(list.getBytes(StandardCharsets.UTF_8));
            ExecResult r = RestrictedUser.run(host, "sudo -n " + RestrictedUser.HELPER + " wheelhouse " + digest + " '" + list + "'");
            assertEquals(3, r.getExitCode(), list + ": " + r.getStderr());
        }
        ExecResult wrongDigest = RestrictedUser.run(host, "sudo -n " + RestrictedUser.HELPER + " wheelhouse " + sha + " '" + sha + "  a.whl\n'");
        assertTrue(wrongDigest.getStderr().contains("does not hash to"), wrongDigest.getStderr());
        assertEquals("", host.exec("ls -A /var/lib/litellm-deploy/wheelhouses 2>/dev/null").strip());
    }

    @Test
    @Order(3)
    void theDeployerUploadsTheWheelhouseOnceThroughTheRestrictedHelperAndRealLitellmInstallsFromIt() throws Exception {
        Bundle first = Fixtures.exampleBundle(work.resolve("first"), Map.of(), unitEnv(wheelhouse));
        String dir = wheelhouse.remoteDir(RemoteLayout.defaults());
        assertTrue(new String(first.files().get(Bundle.UNIT), StandardCharsets.UTF_8).contains("Environment=\"UV_FIND_LINKS=" + dir + "\""),
                "the bundle's unit names the final path");
        HostResult r = deploy(first, wheelhouse);
        assertEquals(HostResult.Outcome.SUCCESS, r.outcome(), r.message());
        StepTiming upload = step(r, WheelhouseUpload.STEP);
        assertTrue(upload != null && upload.detail().startsWith("uploaded " + wheelhouse.sha256ByName().size() + " files"), r.steps().toString());
        report("wheelhouse upload through the restricted helper (RealLiteLlmWheelhouseTest): " + upload.detail() + "; whole step "
                + upload.took().toMillis() + " ms; load " + Files.readString(Path.of("/proc/loadavg")).strip());
        assertEquals("root:root 755", host.exec("stat -c '%U:%G %a' " + dir).strip());
        assertEquals("root:root 644", host.exec("stat -c '%U:%G %a' " + dir + "/* | sort -u").strip(), "every file root's, 0644");
        assertEquals("", host.exec("ls -A /var/lib/litellm-deploy/staging/" + RestrictedUser.NAME).strip(), "the staging folder is emptied");
        assertEquals(host.exec("cat /etc/systemd/system/litellm.service"), new String(first.files().get(Bundle.UNIT), StandardCharsets.UTF_8));
        String readiness = host.exec("curl -sS http://127.0.0.1:4000/health/readiness");
        assertTrue(readiness.contains("\"litellm_version\":\"" + RealLiteLlm.SEED_VERSION + "\""), readiness);

        // older wheelhouses no kept release names: the newest of them stays (the two newest are kept), the rest and a partial copy go
        String root = "/var/lib/litellm-deploy/wheelhouses/";
        host.exec("for d in 0000000000a1 0000000000a2 0000000000a3 0000000000a4.partial; do install -d -m 0755 " + root + "$d"
                + " && echo x > " + root + "$d/SHA256SUMS; done; touch -d '3 days ago' " + root + "0000000000a1; touch -d '2 days ago' "
                + root + "0000000000a2; touch -d '1 day ago' " + root + "0000000000a3");
        // and a stored wheel no wheelhouse lists any more: it goes; every file of the kept wheelhouse stays, root's, 0644
        String store = "/var/lib/litellm-deploy/wheels/";
        assertEquals("root:root 644 2", host.exec("stat -c '%U:%G %a %h' " + store + "* | sort -u").strip(), "each stored once, linked once");
        host.exec("echo old > " + store + "f".repeat(64));

        // a changed config with the same wheelhouse: a new release and a restart, and nothing of the wheelhouse goes again
        String pid = host.exec("systemctl show -p MainPID --value litellm").strip();
        Bundle changed = Fixtures.changedBundle(work, "second", unitEnv(wheelhouse));
        HostResult again = deploy(changed, wheelhouse);
        assertEquals(HostResult.Outcome.SUCCESS, again.outcome(), again.message());
        assertTrue(step(again, "upload") != null && step(again, WheelhouseUpload.STEP) == null, again.steps().toString());
        assertFalse(again.plan().steps().contains(WheelhouseUpload.STEP), again.plan().steps().toString());
        assertNotEquals(pid, host.exec("systemctl show -p MainPID --value litellm").strip(), "restarted");
        assertEquals("0000000000a3\n" + wheelhouse.shortDigest(), host.exec("ls -1 " + root + " | sort").strip(), "pruned when recorded");
        assertEquals(String.join("\n", new java.util.TreeSet<>(wheelhouse.sha256ByName().values())), host.exec("ls -1 " + store + " | sort").strip(),
                "the store holds exactly the kept wheelhouse's files");
        report("second deploy, same wheelhouse: read-current " + step(again, "read-current").took().toMillis() + " ms, no wheelhouse step");
    }

    @Test
    @Order(4)
    void aBundleThatNamesAWheelhouseTheHostLacksFailsBeforeInstallWhenNoneIsGiven() throws Exception {
        Map<String, String> other = new LinkedHashMap<>(wheelhouse.sha256ByName());
        other.remove("requirements.txt");
        Wheelhouse missing = Wheelhouse.of(wheelhouse.dir(), other);
        String unit = host.exec("sha256sum /etc/systemd/system/litellm.service");
        HostResult r = deploy(Fixtures.changedBundle(work, "third", unitEnv(missing)), null);
        assertEquals(HostResult.Outcome.FAILED_NOTHING_CHANGED, r.outcome(), r.message());
        assertTrue(r.message().contains("pass --wheelhouse DIR") && r.message().contains("Nothing was installed"), r.message());
        assertEquals(unit, host.exec("sha256sum /etc/systemd/system/litellm.service"), "the running release is untouched");
    }
}
