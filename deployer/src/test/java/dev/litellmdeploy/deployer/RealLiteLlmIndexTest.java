package dev.litellmdeploy.deployer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.images.builder.Transferable;
import org.testcontainers.utility.MountableFile;

import dev.litellmdeploy.builder.BundleOptions;
import dev.litellmdeploy.builder.PythonLock;
import dev.litellmdeploy.deployer.bundle.Bundle;
import dev.litellmdeploy.testsupport.FakeProvider;
import dev.litellmdeploy.testsupport.LeakGuard;
import dev.litellmdeploy.testsupport.RealLiteLlm;
import dev.litellmdeploy.testsupport.TestHost;

/**
 * {@code --python-index} and {@code --python-install-mirror} with the real uv on an offline test host: a PEP 503 index on the
 * host's loopback (simple-index.py: it requires basic auth and logs every request) serves the seed's locked wheels. A wrong
 * password ends FAILED_NOTHING_CHANGED with uv's 401, masked; the right one builds the environment from the index (its log
 * shows the downloads) while a second local user polls every process's arguments and /proc, and afterwards the password is
 * in no file on the host, not in the journal, the audit log, the unit or the deploy's output. A Python the host lacks is asked
 * of the mirror (its log shows the path uv requested) and a mirror that cannot serve it ends FAILED_NOTHING_CHANGED naming it.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RealLiteLlmIndexTest {
    private static final Path REPORT = Path.of("target", "real-litellm-report.txt");
    private static final int PROVIDER_PORT = 9100;
    private static final int INDEX_PORT = 8765;
    private static final String LOGIN = "idx-user";
    private static final String PASSWORD = "sk-fake-index-password-7Hq2";
    private static final String WRONG = "sk-fake-wrong-password-9Zt4";
    private static final String ENVS = "/var/lib/litellm-deploy/envs";
    private static final String INDEX = "http://127.0.0.1:" + INDEX_PORT + "/simple/";
    private static final String LOG = "/srv/index/requests.log";

    /**
     * The second local user: until told to stop, every process's arguments (ps and /proc/PID/cmdline), every environment it may
     * read (/proc/PID/environ) and any netrc it can find, searched for the passwords; counts its polls and those that saw uv
     * pip install running.
     */
    private static final String WATCHER = """
            n=0; seen=0
            while [ ! -e /home/watcher/stop ]; do
              n=$((n+1))
              a=$(ps -eww -o args; cat /proc/[0-9]*/cmdline 2>/dev/null | tr '\\0' ' '; cat /proc/[0-9]*/environ 2>/dev/null | tr '\\0' '\\n'
                  find /run /var/lib/litellm-deploy /opt/litellm /tmp -readable -type f -name '*netrc*' -exec cat {} + 2>/dev/null)
              printf '%s\\n' "$a" | grep -F -f /srv/needles >> /home/watcher/hits || true
              case $a in *"uv pip install"*) seen=$((seen+1)) ;; esac
            done
            echo "$n $seen" > /home/watcher/polls
            """;

    @RegisterExtension
    static final TestHost host = new TestHost().withoutUv();

    @TempDir
    static Path work;

    private static RealLiteLlm seed;
    private static PythonLock lock;

    @BeforeAll
    static void prepare() throws Exception {
        LeakGuard.secret(PASSWORD);
        LeakGuard.secret(WRONG);
        seed = RealLiteLlm.prepare(RealLiteLlm.SEED_VERSION);
        lock = lockFor("3.11");
        RestrictedUser.setUp(host);
        FakeProvider.startOn(host, PROVIDER_PORT);
        // the index: the seed's wheels, the one accepted credential in a root-only file (not in the server's arguments)
        host.exec("install -d -m 0700 /srv/index");
        host.container().copyFileToContainer(MountableFile.forHostPath(seed.wheelhouse()), "/srv/index/wheels");
        host.container().copyFileToContainer(MountableFile.forClasspathResource("dev/litellmdeploy/deployer/simple-index.py", 0644),
                "/srv/index/simple-index.py");
        host.exec("printf '%s' '" + LOGIN + ":" + PASSWORD + "' > /srv/index/auth && chmod 0600 /srv/index/auth && printf '%s\\n' '" + PASSWORD
                + "' '" + WRONG + "' > /srv/needles && chmod 0644 /srv/needles"
                + " && systemd-run --unit test-index --collect python3 /srv/index/simple-index.py " + INDEX_PORT + " /srv/index/wheels " + LOG
                + " /srv/index/auth && for i in $(seq 1 50); do curl -s -o /dev/null http://127.0.0.1:" + INDEX_PORT
                + "/simple/ && exit 0; sleep 0.1; done; exit 1");
        report("# RealLiteLlmIndexTest (" + Instant.now() + "), load " + Files.readString(Path.of("/proc/loadavg")).strip());
    }

    /** The seed's lock (the resolution tools/prepare-wheelhouse kept), for this Python version. */
    private static PythonLock lockFor(String python) throws Exception {
        String resolved = Files.readString(seed.wheelhouse().resolve("requirements.txt"), StandardCharsets.UTF_8);
        return PythonLock.parse(PythonLock.header(List.of("litellm[proxy]==" + seed.version()), python, "x86_64-manylinux_2_36") + resolved,
                "the lock of " + seed.version());
    }

    /** A locked bundle that names no wheelhouse: env-build installs from the index. */
    private static Bundle bundle(String name, PythonLock l) throws Exception {
        BundleOptions options = BundleOptions.defaults().withLitellmVersion(l.litellmVersion()).withPythonVersion(l.pythonVersion())
                .withEnvironment(Map.of("LITELLM_LOCAL_MODEL_COST_MAP", "True")).withPythonLock(l);
        return RealLiteLlmFixtures.bundle(work, name, options, PROVIDER_PORT);
    }

    /** Through the restricted helper, everything the deploy reports collected in {@code output}. */
    private static HostResult deploy(Bundle b, PythonSource source, StringBuilder output) throws Exception {
        DeploySettings settings = DeploySettings.defaults().withUv(UvSource.localFile(seed.uvArchive())).withReadyTimeout(Duration.ofMinutes(5))
                .withActor("test-actor@ci").withSudoHelper(RestrictedUser.HELPER).withPython(source);
        DeployListener collect = new DeployListener() {
            @Override
            public void planned(DeploymentPlan plan) {
                output.append(plan).append('\n');
            }

            @Override
            public void stepFinished(HostTarget h, String step, Duration took, String detail) {
                output.append(step).append(": ").append(detail).append('\n');
            }

            @Override
            public void progress(HostTarget h, String step, String message) {
                output.append(step).append(": ").append(message).append('\n');
            }
        };
        HostResult r = new Deployer(Fixtures.ssh(host, RestrictedUser.NAME), settings, Fixtures.checked(collect)).deploy(b, Fixtures.targets(host))
                .hosts().get(0);
        output.append(r.message()).append('\n');
        return r;
    }

    private static String index(String password) {
        return "http://" + LOGIN + ":" + password + "@127.0.0.1:" + INDEX_PORT + "/simple/";
    }

    private static void assertNothingChanged() {
        assertEquals("", host.exec("ls -A " + ENVS + " 2>/dev/null").strip(), "no environment and no unfinished one is left");
        assertFalse(host.execResult("test -e /etc/systemd/system/litellm.service").getExitCode() == 0, "no unit was installed");
        assertEquals("", host.exec("readlink /var/lib/litellm-deploy/current || true").strip(), "no release recorded");
        assertEquals("", host.exec("ls -d /run/litellm-deploy-auth.* 2>/dev/null || true").strip(), "no credentials file is left");
    }

    @Test
    @Order(1)
    void aWrongIndexPasswordEndsFailedNothingChangedWithUvsReasonMasked() throws Exception {
        StringBuilder output = new StringBuilder();
        HostResult r = deploy(bundle("wrong", lock), PythonSource.of(index(WRONG), null), output);
        assertEquals(HostResult.Outcome.FAILED_NOTHING_CHANGED, r.outcome(), r.message());
        assertTrue(r.message().contains("401 Unauthorized"), r.message());
        assertTrue(r.message().contains("from index " + INDEX), r.message());
        assertFalse(output.toString().contains(WRONG), "the wrong password is masked too");
        assertNothingChanged();
        assertTrue(host.exec("cat " + LOG).contains(" 401 auth=wrong"), "uv offered the credential and the index refused it");
        report("wrong index password: " + r.message().lines().filter(l -> l.contains("401")).findFirst().orElse(""));
    }

    @Test
    @Order(2)
    void anEnvironmentIsBuiltFromAnIndexThatRequiresAuthAndThePasswordIsNowhereOnTheHostNorInTheOutput() throws Exception {
        host.exec(": > " + LOG + " && useradd --create-home watcher");
        host.container().copyFileToContainer(Transferable.of(WATCHER, 0755), "/home/watcher/watch.sh");
        host.exec("systemd-run --unit watcher --collect -p User=watcher bash /home/watcher/watch.sh");
        StringBuilder output = new StringBuilder();
        long t0 = System.nanoTime();
        HostResult r = deploy(bundle("index", lock), PythonSource.of(index(PASSWORD), null), output);
        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        host.exec("touch /home/watcher/stop && for i in $(seq 1 100); do test -e /home/watcher/polls && exit 0; sleep 0.1; done; exit 1");
        assertEquals(HostResult.Outcome.SUCCESS, r.outcome(), r.message());

        String[] polls = host.exec("cat /home/watcher/polls").strip().split(" ");
        assertTrue(Integer.parseInt(polls[1]) > 0, "the second user saw uv pip install run (" + polls[1] + " of " + polls[0] + " polls)");
        String hits = host.exec("cat /home/watcher/hits 2>/dev/null || true").strip();
        assertEquals("", hits.substring(0, Math.min(hits.length(), 600)), "what the second user could read during the build");
        String files = host.exec("grep -rlF -f /srv/needles /etc /var /opt /run /tmp /root /usr/local /home 2>/dev/null | grep -v '^/home/watcher/' || true");
        assertEquals("", files.strip(), "files on the host that hold the password");
        assertEquals("0", host.exec("journalctl --no-pager -o cat | grep -cF -f /srv/needles || true").strip(), "the journal");
        assertFalse(host.exec("cat /var/lib/litellm-deploy/audit.log /etc/systemd/system/litellm.service /var/lib/litellm-deploy/releases/*/unit.params")
                .contains(PASSWORD));
        assertFalse(output.toString().contains(PASSWORD), "the deploy's output");
        assertTrue(output.toString().contains("from the index " + INDEX + " (with credentials)"), output.toString());
        assertEquals("", host.exec("ls -d /run/litellm-deploy-auth.* 2>/dev/null || true").strip(), "the credentials file went with the build");

        String requests = host.exec("cat " + LOG);
        long downloads = requests.lines().filter(l -> l.startsWith("GET /files/") && l.endsWith(" 200 auth=ok")).count();
        long packages = lock.text().lines().filter(l -> l.matches("^[A-Za-z0-9].*==.*")).count();
        assertEquals(packages, downloads, "every locked file came from the index:\n" + requests);
        assertEquals("index " + INDEX, host.exec("cat " + ENVS + "/" + lock.sha256() + "/SOURCE").strip(), "where the environment came from");
        assertTrue(host.exec("curl -sS http://127.0.0.1:4000/health/readiness").contains("\"status\":\"healthy\""));
        report("environment from an authenticated index: whole deploy " + took.toSeconds() + " s; python-env "
                + r.steps().stream().filter(s -> s.step().equals(PythonEnv.STEP)).findFirst().orElseThrow().took().toSeconds() + " s; "
                + downloads + " downloads; the second user polled " + polls[0] + " times, " + polls[1] + " while uv pip install ran; no hit");
    }

    @Test
    @Order(3)
    void aPythonTheHostLacksIsAskedOfTheMirrorAndAMirrorThatCannotServeItEndsFailedNothingChangedNamingIt() throws Exception {
        host.exec(": > " + LOG);
        PythonLock python312 = lockFor("3.12");
        String mirror = "http://" + LOGIN + ":" + PASSWORD + "@127.0.0.1:" + INDEX_PORT + "/python-mirror";
        String envsBefore = host.exec("ls -1 " + ENVS).strip();
        String current = host.exec("readlink /var/lib/litellm-deploy/current").strip();
        StringBuilder output = new StringBuilder();
        HostResult r = deploy(bundle("python312", python312), PythonSource.of(index(PASSWORD), mirror), output);
        assertEquals(HostResult.Outcome.FAILED_NOTHING_CHANGED, r.outcome(), r.message());
        assertTrue(r.message().contains("http://127.0.0.1:" + INDEX_PORT + "/python-mirror/"), "names the mirror: " + r.message());
        assertFalse(output.toString().contains(PASSWORD), "the deploy's output");
        String requests = host.exec("cat " + LOG);
        String asked = requests.lines().filter(l -> l.startsWith("GET /python-mirror/")).findFirst().orElse("");
        assertTrue(asked.matches("GET /python-mirror/\\d+/cpython-3\\.12\\.\\d+%2B\\d+-x86_64-unknown-linux-gnu-install_only\\S*\\.tar\\.gz \\d+ auth=\\w+"),
                "uv asked the mirror for a CPython 3.12 build: " + requests);
        assertTrue(requests.contains(" 404 auth=ok"), "with the mirror's credentials (from the same netrc): " + requests);
        assertEquals(envsBefore, host.exec("ls -1 " + ENVS).strip(), "no environment was added");
        assertEquals(current, host.exec("readlink /var/lib/litellm-deploy/current").strip(), "the current release is the same");
        assertTrue(host.exec("curl -sS http://127.0.0.1:4000/health/readiness").contains("\"status\":\"healthy\""), "still serving");
        report("python install mirror: uv asked " + asked);
    }

    private static void report(String line) throws Exception {
        Files.createDirectories(REPORT.getParent());
        Files.writeString(REPORT, line + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
}
