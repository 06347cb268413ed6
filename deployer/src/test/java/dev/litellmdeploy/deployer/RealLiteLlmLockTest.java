package dev.litellmdeploy.deployer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

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
import dev.litellmdeploy.testsupport.RealLiteLlm;
import dev.litellmdeploy.testsupport.TestHost;

/**
 * A release's hash-pinned Python environment with the real uv and LiteLLM on offline test hosts: built once per lock as the
 * service user from the uploaded wheelhouse (through the restricted helper on host A, with full sudo on host B), run directly by
 * the unit, reused by a config-only deploy, a second one beside it for an upgrade, rollback with no install, pruned with its
 * last release; a wheel whose hash is not the lock's is refused naming the package; two hosts get byte-identical
 * environments; host B migrates from the uvx unit by a normal deploy. Timings go to target/real-litellm-report.txt.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RealLiteLlmLockTest {
    private static final Path REPORT = Path.of("target", "real-litellm-report.txt");
    private static final int PROVIDER_PORT = 9100;
    private static final String ENVS = "/var/lib/litellm-deploy/envs";

    @RegisterExtension
    static final TestHost host = new TestHost().withoutUv();

    @RegisterExtension
    static final TestHost other = new TestHost().withoutUv();

    @TempDir
    static Path work;

    private static RealLiteLlm seed;
    private static RealLiteLlm newest;
    private static PythonLock seedLock;
    private static PythonLock newestLock;

    @BeforeAll
    static void prepare() throws Exception {
        seed = RealLiteLlm.prepare(RealLiteLlm.SEED_VERSION);
        newest = RealLiteLlm.prepare(RealLiteLlm.NEWEST_VERSION);
        seedLock = RealLiteLlmFixtures.lock(seed);
        newestLock = RealLiteLlmFixtures.lock(newest);
        RestrictedUser.setUp(host);
        FakeProvider.startOn(host, PROVIDER_PORT);
        FakeProvider.startOn(other, PROVIDER_PORT);
        report("# RealLiteLlmLockTest (" + Instant.now() + "), load " + Files.readString(Path.of("/proc/loadavg")).strip());
    }

    private static Map<String, String> offline(Wheelhouse w) {
        Map<String, String> env = new LinkedHashMap<>(w.unitEnvironment(RemoteLayout.defaults()));
        env.put("LITELLM_LOCAL_MODEL_COST_MAP", "True");
        return env;
    }

    private static Bundle locked(String name, PythonLock lock, Wheelhouse w, String... extraModels) throws Exception {
        BundleOptions options = BundleOptions.defaults().withLitellmVersion(lock.litellmVersion()).withEnvironment(offline(w)).withPythonLock(lock);
        return RealLiteLlmFixtures.bundle(work, name, options, PROVIDER_PORT, extraModels);
    }

    private static Bundle unlocked(String name, Wheelhouse w, String... extraModels) throws Exception {
        BundleOptions options = BundleOptions.defaults().withLitellmVersion(seed.version()).withEnvironment(offline(w));
        return RealLiteLlmFixtures.bundle(work, name, options, PROVIDER_PORT, extraModels);
    }

    private static String extraModel(String name) {
        return "- model_name: " + name + "\n  litellm_params: {model: openai/x}\n";
    }

    /** Host A: the restricted helper (the deploy user cannot run anything as root). */
    private static HostResult deploy(Bundle bundle, Wheelhouse w) throws Exception {
        DeploySettings settings = settings(w).withSudoHelper(RestrictedUser.HELPER);
        return planIsProgram(l -> new Deployer(Fixtures.ssh(host, RestrictedUser.NAME), settings, l).deploy(bundle, Fixtures.targets(host)));
    }

    interface Run {
        DeployResult on(DeployListener listener) throws Exception;
    }

    /** Runs it and, when it succeeded, asserts that the steps that ran are the plan's (PlanIsProgramTest's rule, with the real uv). */
    private static HostResult planIsProgram(Run run) throws Exception {
        List<DeploymentPlan> planned = new java.util.ArrayList<>();
        HostResult r = run.on(Fixtures.checked(new DeployListener() {
            @Override
            public void planned(DeploymentPlan plan) {
                planned.add(plan);
            }
        })).hosts().get(0);
        if (r.outcome().ok()) {
            assertEquals(planned.get(0).steps(), r.steps().stream().map(StepTiming::step).toList(), "the plan is the program");
        }
        return r;
    }

    /** Host B: full sudo (root). */
    private static HostResult deployOther(Bundle bundle, Wheelhouse w) throws Exception {
        return planIsProgram(l -> new Deployer(Fixtures.ssh(other, TestHost.ROOT), settings(w), l).deploy(bundle, Fixtures.targets(other)));
    }

    private static DeploySettings settings(Wheelhouse w) {
        return DeploySettings.defaults().withUv(UvSource.localFile(seed.uvArchive())).withReadyTimeout(Duration.ofMinutes(5))
                .withActor("test-actor@ci").withWheelhouse(w).withKeepReleases(2);
    }

    private static StepTiming step(HostResult r, String name) {
        return r.steps().stream().filter(s -> s.step().equals(name)).findFirst().orElse(null);
    }

    private static void report(String line) throws Exception {
        Files.createDirectories(REPORT.getParent());
        Files.writeString(REPORT, line + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    private static String seconds(Duration d) {
        return String.format("%.1f s", d.toMillis() / 1000.0);
    }

    private static Duration since(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    private static String mainPid(TestHost h) {
        return h.exec("systemctl show -p MainPID --value litellm").strip();
    }

    /** Ready, the unit's main process is this environment's Python running its litellm, and a chat completion is routed. */
    private static void assertServesFrom(TestHost h, PythonLock lock) {
        String readiness = h.exec("curl -sS http://127.0.0.1:4000/health/readiness");
        assertTrue(readiness.contains("\"status\":\"healthy\""), readiness);
        assertEquals("litellm-" + lock.litellmVersion() + ".dist-info", h.exec("ls " + ENVS + "/" + lock.sha256()
                + "/venv/lib/python3.11/site-packages | grep '^litellm-[0-9].*dist-info$'").strip());
        String args = h.exec("ps -o args= -p " + mainPid(h)).strip();
        assertTrue(args.startsWith(ENVS + "/" + lock.sha256() + "/venv/bin/python"), "the unit runs the environment's litellm directly: " + args);
        String answer = h.exec("curl -sS -H 'Authorization: Bearer " + RealLiteLlmFixtures.MASTER_KEY + "' -H 'Content-Type: application/json'"
                + " http://127.0.0.1:4000/v1/chat/completions -d '{\"model\":\"provider-echo\",\"messages\":[{\"role\":\"user\","
                + "\"content\":\"hello from the test\"}]}'");
        assertTrue(answer.contains("echo: hello from the test"), answer);
    }

    private static String envs(TestHost h) {
        return h.exec("ls -1 " + ENVS + " 2>/dev/null | sort").strip();
    }

    /** Every installed file of the environment with its sha256 (sorted by path), and its symbolic links with their targets. */
    private static List<String> tree(TestHost h, PythonLock lock) {
        return List.of(h.exec("cd " + ENVS + "/" + lock.sha256() + "/venv && find . -type f -print0 | sort -z | xargs -0 sha256sum"
                + " && find . -type l -printf '%p -> %l\\n' | sort").split("\n"));
    }

    @Test
    @Order(1)
    void aWheelWhoseHashIsNotTheLocksIsRefusedNamingThePackageAndNothingThatRunsChanges() throws Exception {
        Path tampered = work.resolve("tampered-wheelhouse");
        Files.createDirectories(tampered);
        String victim;
        try (Stream<Path> files = Files.list(seed.wheelhouse())) {
            List<Path> all = files.filter(f -> !f.getFileName().toString().startsWith(".")).toList();
            victim = all.stream().map(f -> f.getFileName().toString()).filter(n -> n.startsWith("idna-")).findFirst().orElseThrow();
            for (Path f : all) {
                if (!f.getFileName().toString().equals(victim)) {
                    Files.copy(f, tampered.resolve(f.getFileName()));
                }
            }
        }
        addEntry(seed.wheelhouse().resolve(victim), tampered.resolve(victim), "idna/planted.py", "print('not what the lock pinned')\n");
        Wheelhouse w = Wheelhouse.read(tampered);
        HostResult r = deploy(locked("tampered", seedLock, w), w);

        assertEquals(HostResult.Outcome.FAILED_NOTHING_CHANGED, r.outcome(), r.message());
        assertTrue(r.message().contains("Hash mismatch for `idna=="), r.message());
        assertEquals("", envs(host), "no environment and no unfinished one is left");
        assertFalse(host.execResult("test -e /etc/systemd/system/litellm.service").getExitCode() == 0, "no unit was installed");
        assertEquals("", host.exec("readlink /var/lib/litellm-deploy/current || true").strip(), "no release recorded");
    }

    private static void addEntry(Path wheel, Path out, String name, String text) throws Exception {
        try (ZipFile in = new ZipFile(wheel.toFile()); OutputStream o = Files.newOutputStream(out); ZipOutputStream z = new ZipOutputStream(o)) {
            for (Enumeration<? extends ZipEntry> e = in.entries(); e.hasMoreElements();) {
                ZipEntry entry = e.nextElement();
                z.putNextEntry(new ZipEntry(entry.getName()));
                try (InputStream data = in.getInputStream(entry)) {
                    data.transferTo(z);
                }
                z.closeEntry();
            }
            z.putNextEntry(new ZipEntry(name));
            z.write(text.getBytes(StandardCharsets.UTF_8));
            z.closeEntry();
        }
    }

    @Test
    @Order(2)
    void aFirstDeployFromALockBuildsItsEnvironmentOfflineAsTheServiceUserAndTheUnitRunsItDirectly() throws Exception {
        Wheelhouse w = RealLiteLlmFixtures.wheelhouse(seed);
        Bundle b = locked("seed", seedLock, w);
        long t0 = System.nanoTime();
        HostResult r = deploy(b, w);
        Duration took = since(t0);
        assertEquals(HostResult.Outcome.SUCCESS, r.outcome(), r.message());
        StepTiming env = step(r, PythonEnv.STEP);
        assertNotNull(env, r.steps().toString());
        assertTrue(env.detail().startsWith("built " + ENVS + "/" + seedLock.sha256()), env.detail());
        assertServesFrom(host, seedLock);
        String dir = ENVS + "/" + seedLock.sha256();
        assertEquals("root:root 755\nroot:root 644\nroot:root 644\nlitellm:litellm 755", host.exec("stat -c '%U:%G %a' " + dir + " " + dir
                + "/READY " + dir + "/requirements.lock " + dir + "/venv").strip(), "root's directory, the service user's environment");
        assertEquals("0", host.exec("find " + dir + "/venv ! -user litellm | wc -l").strip(), "uv ran as the service user");
        assertEquals(seedLock.text(), host.exec("cat " + dir + "/requirements.lock"));
        report("locked first deploy (" + seed.version() + ", restricted helper): whole deploy " + seconds(took) + "; python-env "
                + seconds(env.took()) + " (" + env.detail() + "); restart + wait-ready "
                + seconds(step(r, "restart").took().plus(step(r, "wait-ready").took())));
    }

    @Test
    @Order(3)
    void aConfigOnlyDeployWithTheSameLockInstallsNothing() throws Exception {
        Wheelhouse w = RealLiteLlmFixtures.wheelhouse(seed);
        String ready = host.exec("stat -c %Y.%i " + ENVS + "/" + seedLock.sha256() + "/READY").strip();
        long t0 = System.nanoTime();
        HostResult r = deploy(locked("seed-config", seedLock, w, extraModel("config-only")), w);
        Duration took = since(t0);
        assertEquals(HostResult.Outcome.SUCCESS, r.outcome(), r.message());
        assertFalse(r.plan().steps().contains(PythonEnv.STEP), r.plan().steps().toString());
        assertNull(step(r, WheelhouseUpload.STEP), "nothing uploaded either");
        assertEquals(ready, host.exec("stat -c %Y.%i " + ENVS + "/" + seedLock.sha256() + "/READY").strip(), "the environment is untouched");
        assertServesFrom(host, seedLock);
        report("locked config-only deploy: whole deploy " + seconds(took) + "; restart + wait-ready "
                + seconds(step(r, "restart").took().plus(step(r, "wait-ready").took())));
    }

    @Test
    @Order(4)
    void anUpgradeBuildsTheNewEnvironmentBesideTheRunningOneAndServes() throws Exception {
        Wheelhouse w = RealLiteLlmFixtures.wheelhouse(newest);
        Map<String, String> changed = lacking(w, RealLiteLlmFixtures.wheelhouse(seed));
        long changedBytes = 0;
        for (String name : changed.keySet()) {
            changedBytes += Files.size(w.dir().resolve(name));
        }
        long t0 = System.nanoTime();
        HostResult r = deploy(locked("newest", newestLock, w), w);
        Duration took = since(t0);
        assertEquals(HostResult.Outcome.SUCCESS, r.outcome(), r.message());
        List<String> order = r.plan().steps();
        assertTrue(order.indexOf(PythonEnv.STEP) >= 0 && order.indexOf(PythonEnv.STEP) < order.indexOf("install"), order.toString());
        assertServesFrom(host, newestLock);
        assertEquals(String.join("\n", List.of(seedLock.sha256(), newestLock.sha256()).stream().sorted().toList()), envs(host),
                "the old environment stays for a rollback");
        StepTiming upload = step(r, WheelhouseUpload.STEP);
        assertTrue(upload.detail().startsWith(String.format("uploaded %d files, %.1f MB in ", changed.size(), changedBytes / 1e6))
                && upload.detail().contains((w.sha256ByName().size() - changed.size()) + " of " + w.sha256ByName().size() + " already on the host"),
                "only the wheels the seed's wheelhouse lacks go: " + changed.keySet() + "; " + upload.detail());
        assertEquals(w.checksums(), host.exec("cat " + w.remoteDir(RemoteLayout.defaults()) + "/SHA256SUMS"));
        report("locked upgrade to " + newest.version() + ": whole deploy " + seconds(took) + "; python-env " + seconds(step(r, PythonEnv.STEP).took())
                + "; wheelhouse " + seconds(upload.took()) + " (" + upload.detail() + "; the whole wheelhouse is " + w.sha256ByName().size()
                + " files, " + String.format("%.1f MB", w.bytes() / 1e6) + ")");
    }

    @Test
    @Order(5)
    void aRollbackReturnsToThePreviousEnvironmentWithNoInstall() throws Exception {
        long t0 = System.nanoTime();
        HostResult r = planIsProgram(l -> new Deployer(Fixtures.ssh(host, RestrictedUser.NAME), settings(null).withSudoHelper(RestrictedUser.HELPER),
                l).rollback(Fixtures.targets(host), null));
        Duration took = since(t0);
        assertEquals(HostResult.Outcome.SUCCESS, r.outcome(), r.message());
        assertFalse(r.plan().steps().contains(PythonEnv.STEP), r.plan().steps().toString());
        assertServesFrom(host, seedLock);
        report("rollback to " + seed.version() + " (no install): " + seconds(took));
    }

    @Test
    @Order(6)
    void anEnvironmentIsPrunedOnlyAfterTheLastReleaseThatNamesItIsGone() throws Exception {
        Wheelhouse w = RealLiteLlmFixtures.wheelhouse(newest);
        String seedRelease = host.exec("readlink /var/lib/litellm-deploy/current").strip().replace("releases/", "");
        // keep 2: the current and the one before stay; the seed's releases go once two newer ones are recorded
        HostResult first = deploy(locked("newest-2", newestLock, w, extraModel("later-1")), w);
        assertEquals(HostResult.Outcome.SUCCESS, first.outcome(), first.message());
        assertFalse(first.plan().steps().contains(PythonEnv.STEP), "the newest lock's environment is still there");
        assertTrue(envs(host).contains(seedLock.sha256()), "the release before the current one runs the seed's environment");
        HostResult second = deploy(locked("newest-3", newestLock, w, extraModel("later-2")), w);
        assertEquals(HostResult.Outcome.SUCCESS, second.outcome(), second.message());
        assertFalse(host.exec("ls /var/lib/litellm-deploy/releases").contains(seedRelease));
        assertEquals(newestLock.sha256(), envs(host), "no kept release names the seed's environment any more");
        assertServesFrom(host, newestLock);

        // the wheel store: the seed's wheelhouse is still one of the 2 newest, so all its wheels stay; once a newer one (planted,
        // root's) pushes it out and no kept release names it, it goes, and with it exactly the wheels the newest's does not list
        Wheelhouse old = RealLiteLlmFixtures.wheelhouse(seed);
        TreeSet<String> both = new TreeSet<>(old.sha256ByName().values());
        both.addAll(w.sha256ByName().values());
        assertEquals(String.join("\n", both), storedWheels(host), "both wheelhouses are kept, so are all their wheels");
        String root = "/var/lib/litellm-deploy/wheelhouses/";
        host.exec("touch -d '1 hour ago' " + root + old.shortDigest() + " && install -d -m 0755 " + root + "0000000000b1 && echo x > " + root
                + "0000000000b1/SHA256SUMS");
        HostResult third = deploy(locked("newest-4", newestLock, w, extraModel("later-3")), w);
        assertEquals(HostResult.Outcome.SUCCESS, third.outcome(), third.message());
        assertEquals(String.join("\n", new TreeSet<>(w.sha256ByName().values())), storedWheels(host),
                "the seed's own " + lacking(old, w).size() + " wheels went, the " + (old.sha256ByName().size() - lacking(old, w).size())
                        + " the newest shares stayed");
        host.exec("rm -rf " + root + "0000000000b1");
    }

    /** The files of {@code w} (name -> sha256) whose content {@code held} lacks: what an upload to a host holding {@code held} carries. */
    private static Map<String, String> lacking(Wheelhouse w, Wheelhouse held) {
        Map<String, String> m = new LinkedHashMap<>(w.sha256ByName());
        m.values().removeIf(new HashSet<>(held.sha256ByName().values())::contains);
        return m;
    }

    private static String storedWheels(TestHost h) {
        return h.exec("ls -1 /var/lib/litellm-deploy/wheels | sort").strip();
    }

    @Test
    @Order(7)
    void aHostOnTheUvxUnitMovesToTheLockByANormalDeployAndGetsAByteIdenticalEnvironment() throws Exception {
        Wheelhouse w = RealLiteLlmFixtures.wheelhouse(seed);
        long t0 = System.nanoTime();
        HostResult before = deployOther(unlocked("uvx", w), w);
        Duration uvxFirst = since(t0);
        assertEquals(HostResult.Outcome.SUCCESS, before.outcome(), before.message());
        assertTrue(other.exec("ps -o args= -p " + mainPid(other)).contains("uvx"), "the unlocked unit runs uvx");
        t0 = System.nanoTime();
        HostResult config = deployOther(unlocked("uvx-config", w, extraModel("config-only")), w);
        Duration uvxConfig = since(t0);
        assertEquals(HostResult.Outcome.SUCCESS, config.outcome(), config.message());
        report("unlocked (uvx) first deploy (" + seed.version() + ", full sudo): whole deploy " + seconds(uvxFirst) + "; restart + wait-ready "
                + seconds(step(before, "restart").took().plus(step(before, "wait-ready").took())));
        report("unlocked (uvx) config-only deploy: whole deploy " + seconds(uvxConfig) + "; restart + wait-ready "
                + seconds(step(config, "restart").took().plus(step(config, "wait-ready").took())));

        t0 = System.nanoTime();
        HostResult migrated = deployOther(locked("migrate", seedLock, w), w);
        Duration took = since(t0);
        assertEquals(HostResult.Outcome.SUCCESS, migrated.outcome(), migrated.message());
        assertNotNull(step(migrated, PythonEnv.STEP), migrated.steps().toString());
        assertServesFrom(other, seedLock);
        report("migration uvx -> lock (full sudo): whole deploy " + seconds(took) + "; python-env " + seconds(step(migrated, PythonEnv.STEP).took()));

        // host A pruned the seed's environment; build it there again from the same lock, then compare every installed file
        Wheelhouse seedWh = RealLiteLlmFixtures.wheelhouse(seed);
        HostResult again = deploy(locked("seed-again", seedLock, seedWh), seedWh);
        assertEquals(HostResult.Outcome.SUCCESS, again.outcome(), again.message());
        assertTrue(step(again, WheelhouseUpload.STEP).detail().startsWith("uploaded " + lacking(seedWh, RealLiteLlmFixtures.wheelhouse(newest)).size()
                + " files, "), "the pruned wheels go again, and only they: " + step(again, WheelhouseUpload.STEP).detail());
        List<String> a = tree(host, seedLock);
        List<String> b = tree(other, seedLock);
        List<String> onlyA = a.stream().filter(l -> !b.contains(l)).toList();
        List<String> onlyB = b.stream().filter(l -> !a.contains(l)).toList();
        report("two hosts, one lock: " + a.size() + " files and links; differing on A: " + onlyA.size() + " " + onlyA.stream().limit(10).toList()
                + "; on B: " + onlyB.stream().limit(10).toList());
        assertEquals(List.of(), onlyA, "two hosts, one lock: the same files with the same bytes (B has " + onlyB.stream().limit(10).toList() + ")");
        assertEquals(a, b);
    }
}
