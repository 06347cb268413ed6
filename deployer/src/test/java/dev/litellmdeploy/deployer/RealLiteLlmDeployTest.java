package dev.litellmdeploy.deployer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.litellmdeploy.builder.BundleOptions;
import dev.litellmdeploy.deployer.bundle.Bundle;
import dev.litellmdeploy.testsupport.FakeProvider;
import dev.litellmdeploy.testsupport.RealLiteLlm;
import dev.litellmdeploy.testsupport.TestHost;

/**
 * The real uv and the real LiteLLM (the seed's pinned version, from PyPI through
 * tools/prepare-wheelhouse) deployed by the normal Deployer to a bare test host that has no
 * network: uv uploaded as a release archive, LiteLLM installed by uvx from the wheelhouse the deployer
 * uploaded (deploy --wheelhouse), under the project's hardened unit as rendered from templates/litellm.service.mustache.
 * Start-up times, RSS and the hardening trials go to target/real-litellm-report.txt (measured, not asserted).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RealLiteLlmDeployTest {
    private static final String MASTER_KEY = RealLiteLlmFixtures.MASTER_KEY;
    private static final String CUSTOM_AUTH_KEY = "sk-fake-custom-auth-accepted-0000";
    private static final List<String> EXAMPLE_MODELS = List.of("frontier-muffin", "scone-large", "tiny-scone", "local-crumpet");
    private static final int PROVIDER_PORT = 9100;
    private static final Path REPORT = Path.of("target", "real-litellm-report.txt");

    @RegisterExtension
    static final TestHost host = new TestHost().withoutUv();

    @TempDir
    static Path work;

    private static RealLiteLlm litellm;
    private static final Map<String, Duration> steps = new ConcurrentHashMap<>();
    private static final DeployListener timer = new DeployListener() {
        @Override
        public void stepFinished(HostTarget h, String step, Duration took, String detail) {
            steps.put(step, took);
        }
    };
    private static Instant classStart;

    @BeforeAll
    static void prepare() throws IOException {
        classStart = Instant.now();
        Instant t0 = Instant.now();
        litellm = RealLiteLlm.prepare(RealLiteLlm.SEED_VERSION);
        RealLiteLlmFixtures.wheelhouse(litellm);
        Files.createDirectories(REPORT.getParent());
        Files.writeString(REPORT, "# Real LiteLLM " + litellm.version() + " with real uv " + RealLiteLlm.UV_VERSION
                + " on the offline test host (RealLiteLlmDeployTest, " + Instant.now() + ")\n");
        report("wheelhouse prepared (cached) and digested", Duration.between(t0, Instant.now()));
    }

    @AfterAll
    static void total() throws IOException {
        report("whole test class", Duration.between(classStart, Instant.now()));
        System.out.println(Files.readString(REPORT));
    }

    private static void report(String what, Object value) throws IOException {
        String text = value instanceof Duration d ? String.format("%.1f s", d.toMillis() / 1000.0) : String.valueOf(value);
        Files.writeString(REPORT, what + ": " + text + "\n", StandardOpenOption.APPEND);
    }

    private static HostResult deploy(Bundle bundle) throws Exception {
        steps.clear();
        DeploySettings settings = DeploySettings.defaults().withUv(UvSource.localFile(litellm.uvArchive()))
                .withReadyTimeout(Duration.ofMinutes(5)).withActor("test-actor@ci").withWheelhouse(RealLiteLlmFixtures.wheelhouseFor(bundle));
        return new Deployer(Fixtures.ssh(host, TestHost.ROOT), settings, Fixtures.checked(timer))
                .deploy(bundle, Fixtures.targets(host)).hosts().get(0);
    }

    private static Map<String, String> offline() {
        return RealLiteLlmFixtures.offline(litellm);
    }

    private static String models(String authorization) {
        return host.exec("curl -sS -o /tmp/models.json -w '%{http_code}' " + authorization
                + " http://127.0.0.1:4000/v1/models; echo; cat /tmp/models.json; rm -f /tmp/models.json");
    }

    private static String mainPid() {
        return host.exec("systemctl show -p MainPID --value litellm").strip();
    }

    /** The RSS of the unit's processes: uvx (the main process, which waits) and the LiteLLM Python under it. */
    private static String rss() {
        return host.exec("p=" + mainPid() + "; ps -o rss=,comm= -p $p --ppid $p | awk '{printf \"%s %d MiB; \", $2, $1/1024}'").strip();
    }

    @Test
    @Order(1)
    void firstDeployInstallsRealUvAndRealLitellmOfflineAndServesTheBundlesModelsBehindTheMasterKey() throws Exception {
        assertFalse(host.execResult("command -v uvx").getExitCode() == 0, "the host starts without uv");
        assertFalse(host.execResult("timeout 5 curl -sS -o /dev/null https://pypi.org/simple/").getExitCode() == 0,
                "the test host must not reach PyPI: the install has to come from the wheelhouse");
        Bundle first = Fixtures.exampleBundle(work.resolve("first"), Map.of(), offline());
        HostResult r = deploy(first);
        assertEquals(HostResult.Outcome.SUCCESS, r.outcome(), r.message());
        assertEquals(new String(first.files().get(Bundle.UNIT), java.nio.charset.StandardCharsets.UTF_8),
                host.exec("cat /etc/systemd/system/litellm.service"), "the unit running is the one rendered from templates/litellm.service.mustache");
        report("first deploy: restart + wait-ready (uvx installs from the wheelhouse, LiteLLM starts)",
                steps.get("restart").plus(steps.get("wait-ready")));
        report("first deploy: the deployer uploads the wheelhouse", r.steps().stream().filter(s -> s.step().equals(WheelhouseUpload.STEP))
                .map(s -> s.detail() + " (whole step " + s.took().toMillis() + " ms)").findFirst().orElse("NOT UPLOADED"));
        report("first deploy: whole deploy", steps.values().stream().reduce(Duration.ZERO, Duration::plus));
        report("first deploy: LiteLLM start to ready, from the journal", journalStartToReady());

        assertTrue(host.exec("/usr/local/lib/litellm-deploy/uv/uvx --version").contains(RealLiteLlm.UV_VERSION), "the real uv was installed");
        String withKey = models("-H 'Authorization: Bearer " + MASTER_KEY + "'");
        assertTrue(withKey.startsWith("200"), withKey);
        for (String m : EXAMPLE_MODELS) {
            assertTrue(withKey.contains("\"id\":\"" + m + "\""), m + " in " + withKey);
        }
        assertTrue(models("").startsWith("401"), "no key, no models");
        // real LiteLLM without a database answers a wrong key 400 "No connected db." (it looks it up as a virtual key)
        String wrongKey = models("-H 'Authorization: Bearer sk-fake-wrong-key'");
        assertTrue(wrongKey.matches("(?s)4\\d\\d\n.*") && !wrongKey.contains("frontier-muffin"), "a wrong key, no models: " + wrongKey);
        report("status for a wrong key (no database)", wrongKey.lines().findFirst().orElse(""));
        String readiness = host.exec("curl -sS http://127.0.0.1:4000/health/readiness");
        assertTrue(readiness.contains("\"litellm_version\":\"" + RealLiteLlm.SEED_VERSION + "\""), readiness);
        String python = host.exec("readlink -f $(ps -o args= --ppid " + mainPid() + " | awk '{print $1}')").strip();
        assertTrue(python.startsWith("/usr/bin/python3.11"), "uv used the system Python, not a downloaded one: " + python);
        assertEquals("litellm", host.exec("ps -o user= -p " + mainPid()).strip());
        report("RSS after the first start", rss());
        report("systemd-analyze security (overall)", host.exec("systemd-analyze security litellm.service | tail -1").strip());
    }

    @Test
    @Order(2)
    void aChangedConfigRestartsRealLitellmWhichRoutesChatCompletionsToTheProviderWithTheSecretFromTheSecretsRepo() throws Exception {
        FakeProvider provider = FakeProvider.startOn(host, PROVIDER_PORT);
        String pidBefore = mainPid();
        assertEquals("http://127.0.0.1:" + PROVIDER_PORT + "/v1", provider.apiBase());
        HostResult r = deploy(Fixtures.exampleBundle(work.resolve("changed"), Map.of("40-provider-echo", providerEcho()), offline()));
        assertEquals(HostResult.Outcome.SUCCESS, r.outcome(), r.message());
        assertEquals(List.of("config.yaml"), r.plan().changedFiles());
        assertFalse(pidBefore.equals(mainPid()), "restarted");
        report("restart after a config change: restart + wait-ready", steps.get("restart").plus(steps.get("wait-ready")));
        report("restart after a config change: LiteLLM start to ready, from the journal", journalStartToReady());
        assertTrue(models("-H 'Authorization: Bearer " + MASTER_KEY + "'").contains("\"id\":\"provider-echo\""));

        String answer = chat(false);
        assertTrue(answer.contains("echo: hello from the test"), answer);
        String stream = chat(true);
        assertTrue(stream.contains("data: ") && stream.contains(" hello") && stream.strip().endsWith("data: [DONE]"), stream);
        String expectedKey = sconeKeySha256();
        List<JsonNode> received = provider.requests();
        assertEquals(List.of(false, true), received.stream().map(n -> n.path("stream").asBoolean()).toList(), received.toString());
        for (JsonNode request : received) {
            assertEquals("echo-1", request.path("model").asText(), request.toString());
            assertEquals(expectedKey, request.path("key_sha256").asText(), "the provider got scone_labs.api_key from the secrets repo");
        }
        report("RSS after the restart and two chat completions", rss());
        report("load average of the build machine (timings above depend on it)", Files.readString(Path.of("/proc/loadavg")).strip());
    }

    private static String chat(boolean stream) {
        return host.exec("curl -sS -N -m 60 -H 'Authorization: Bearer " + MASTER_KEY + "' -H 'Content-Type: application/json' "
                + "http://127.0.0.1:4000/v1/chat/completions -d '{\"model\":\"provider-echo\",\"stream\":" + stream
                + ",\"messages\":[{\"role\":\"user\",\"content\":\"hello from the test\"}]}'");
    }

    /**
     * The directives of the shipped unit that the real LiteLLM had to prove (MemoryDenyWriteExecute,
     * ProcSubset=pid, ~@resources, ~@privileged: each tried alone with a drop-in first, then put in the
     * template) are in force in the unit it serves under; the ones still left out are tried one by one
     * with a drop-in and their results go to the report.
     */
    @Test
    @Order(3)
    void theShippedHardeningIsInForceWhileRealLitellmServesAndTheLeftOutDirectivesAreTried() throws Exception {
        String inForce = host.exec("systemctl show -p MemoryDenyWriteExecute -p ProcSubset -p ProtectProc -p SuccessExitStatus litellm");
        assertTrue(inForce.contains("MemoryDenyWriteExecute=yes") && inForce.contains("ProcSubset=pid")
                && inForce.contains("ProtectProc=invisible") && inForce.contains("SuccessExitStatus=143"), inForce);
        String filter = host.exec("systemctl show -p SystemCallFilter --value litellm");
        assertTrue(filter.contains("read") && !filter.matches("(?s).*\\b(setrlimit|mount|chroot)\\b.*"),
                "@system-service minus @resources and @privileged: " + filter.length() + " chars");
        assertTrue(chat(false).contains("echo: hello from the test"), "real LiteLLM routes a chat completion under the shipped unit");
        Map<String, List<String>> trials = new LinkedHashMap<>();
        trials.put("PrivateUsers=yes (with the unit's ProtectProc=invisible)", List.of("PrivateUsers=yes"));
        trials.put("PrivateUsers=yes with ProtectProc=default", List.of("PrivateUsers=yes", "ProtectProc=default"));
        Map<String, String> results = new LinkedHashMap<>();
        try {
            for (Map.Entry<String, List<String>> t : trials.entrySet()) {
                results.put(t.getKey(), tryDropIn(t.getValue()));
                report("hardening trial " + t.getKey(), results.get(t.getKey()));
            }
        } finally {
            host.exec("rm -rf /etc/systemd/system/litellm.service.d && systemctl daemon-reload && systemctl reset-failed litellm; "
                    + "systemctl restart litellm");
        }
        assertTrue(results.get("PrivateUsers=yes with ProtectProc=default").startsWith("serves"), results.toString());
    }

    /**
     * uvx is the unit's main process; on SIGTERM it forwards the signal, LiteLLM shuts down cleanly,
     * and uvx exits 143, which systemd records as a failure unless the unit says SuccessExitStatus=143.
     */
    @Test
    @Order(8)
    void aStopOfRealLitellmIsCleanOnlyWithSuccessExitStatus143() throws Exception {
        Map<String, String> result = new LinkedHashMap<>();
        try {
            for (String dropIn : List.of("SuccessExitStatus=", "")) {
                String serves = tryDropIn(dropIn.isEmpty() ? List.of() : List.of(dropIn));
                assertTrue(serves.startsWith("serves"), serves);
                host.exec("systemctl stop litellm");
                String how = host.exec("systemctl show -p Result,ExecMainStatus --value litellm | tr '\\n' ' '").strip();
                String name = dropIn.isEmpty() ? "the unit as shipped (SuccessExitStatus=143)" : "without SuccessExitStatus";
                result.put(name, how);
                report("systemctl stop, " + name + " (Result ExecMainStatus)", how);
            }
        } finally {
            host.exec("rm -rf /etc/systemd/system/litellm.service.d && systemctl daemon-reload && systemctl reset-failed litellm; "
                    + "systemctl restart litellm");
        }
        assertTrue(result.get("without SuccessExitStatus").startsWith("exit-code"), result.toString());
        assertEquals("success 143", result.get("the unit as shipped (SuccessExitStatus=143)"), result.toString());
    }

    /** Restarts LiteLLM with these [Service] lines in a drop-in; "serves after N s" or "FAILS: journal lines". */
    private static String tryDropIn(List<String> lines) {
        host.exec("mkdir -p /etc/systemd/system/litellm.service.d && printf '[Service]\\n" + String.join("\\n", lines)
                + "\\n' > /etc/systemd/system/litellm.service.d/50-trial.conf && systemctl daemon-reload && systemctl reset-failed litellm; "
                + "journalctl --rotate >/dev/null 2>&1; systemctl restart litellm");
        long start = System.nanoTime();
        while (System.nanoTime() - start < Duration.ofMinutes(3).toNanos()) {
            if (models("-H 'Authorization: Bearer " + MASTER_KEY + "'").startsWith("200")) {
                String took = String.format("%.1f s", (System.nanoTime() - start) / 1e9);
                String answer = chat(false);
                return answer.contains("echo: hello from the test") ? "serves /v1/models and a chat completion, ready after " + took
                        : "FAILS: ready after " + took + " but a chat completion answered " + answer;
            }
            String restarts = host.exec("systemctl show -p NRestarts --value litellm").strip();
            if (!"0".equals(restarts) || host.execResult("systemctl is-failed -q litellm").getExitCode() == 0) {
                return "FAILS: " + host.exec("journalctl -u litellm -o cat --no-pager -n 40 | grep -iE 'fail|error|denied|not permitted' "
                        + "| grep -v 'Failed with result' | head -3 | tr '\\n' ' '").strip();
            }
            sleep(500);
        }
        return "FAILS: not ready within 3 minutes";
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Test
    @Order(4)
    void anUpgradeToTheNewestLitellmInstallsItOfflineAndServes() throws Exception {
        RealLiteLlm newest = RealLiteLlm.prepare(RealLiteLlm.NEWEST_VERSION);
        HostResult r = deploy(bundle("upgrade", newest.version(), RealLiteLlmFixtures.offline(newest)));
        assertEquals(HostResult.Outcome.SUCCESS, r.outcome(), r.message());
        assertTrue(r.plan().changedFiles().contains("litellm.service"), r.plan().changedFiles().toString());
        assertServes(newest.version());
        report("upgrade to " + newest.version() + ": restart + wait-ready (first start of the new version)",
                steps.get("restart").plus(steps.get("wait-ready")));
        report("upgrade to " + newest.version() + ": LiteLLM start to ready, from the journal", journalStartToReady());
        report("RSS of " + newest.version(), rss());
    }

    @Test
    @Order(5)
    void aRollbackToTheSeedsLitellmServesTheOldVersionAgain() throws Exception {
        HostResult r = deploy(bundle("rollback", RealLiteLlm.SEED_VERSION, offline()));
        assertEquals(HostResult.Outcome.SUCCESS, r.outcome(), r.message());
        assertServes(RealLiteLlm.SEED_VERSION);
        report("back to " + RealLiteLlm.SEED_VERSION + ": restart + wait-ready (its environment is still in uv's cache)",
                steps.get("restart").plus(steps.get("wait-ready")));
    }

    /**
     * Real LiteLLM starts with {@code master_key: os.environ/UNSET} (the key resolves to nothing) and
     * then serves everyone without a key; the stand-in refused to start instead. A deploy must not
     * leave such an open proxy behind.
     */
    @Test
    @Order(6)
    void aMasterKeyThatDoesNotReachLitellmWouldLeaveAnOpenProxyAndIsRolledBack() throws Exception {
        String current = host.exec("readlink /var/lib/litellm-deploy/current").strip();
        HostResult r = deploy(Fixtures.configBundle(work.resolve("open"), "model_list:\n  - model_name: open-door\n"
                + "    litellm_params: {model: openai/door}\ngeneral_settings:\n  master_key: os.environ/LITELLM_DEPLOY_TEST_UNSET_VARIABLE\n",
                BundleOptions.defaults().withEnvironment(offline())));
        assertEquals(HostResult.Outcome.FAILED_ROLLED_BACK, r.outcome(), r.message());
        assertTrue(r.message().contains("without a key"), r.message());
        assertEquals(current, host.exec("readlink /var/lib/litellm-deploy/current").strip());
        assertTrue(models("").startsWith("401"), "the previous release, which needs the key, serves again");
    }

    /**
     * A config that builds but that the real LiteLLM refuses at start: its custom_auth module is bundled and installed, but
     * raises when LiteLLM imports it (proxy_server.py load_config -> get_instance_fn -> exec_module). validate cannot know:
     * it does not run the user's Python. (A module missing here is now refused by build itself; before it, a fallback mapping
     * with two keys, which validate refuses too.) The deploy rolls back, and its message carries the real journal tail with
     * the config's secrets masked.
     */
    @Test
    @Order(9)
    void aConfigRealLitellmRefusesAtStartIsRolledBackWithItsJournalTailRedacted() throws Exception {
        String current = host.exec("readlink /var/lib/litellm-deploy/current").strip();
        String secret = "sk-fake-refused-provider-key-0000000000";
        Path dir = Files.createDirectories(work.resolve("refused"));
        Files.writeString(dir.resolve("broken_auth.py"), "raise RuntimeError('this module refuses to be imported')\n");
        HostResult r = deploy(Fixtures.configBundle(dir, "model_list:\n"
                + "  - model_name: first\n    litellm_params: {model: openai/first, api_key: " + secret + "}\n"
                + "  - model_name: second\n    litellm_params: {model: openai/second, api_key: " + secret + "}\n"
                + "general_settings:\n  master_key: " + MASTER_KEY + "\n  custom_auth: broken_auth.user_api_key_auth\n",
                BundleOptions.defaults().withEnvironment(offline())));
        report("a config real LiteLLM refuses at start (a custom_auth module that raises on import): outcome", r.outcome());
        report("  its message", r.message().replace("\n", " | "));
        assertEquals(HostResult.Outcome.FAILED_ROLLED_BACK, r.outcome(), r.message());
        assertTrue(r.message().contains("Last lines of the service's journal") && r.message().contains("Traceback"),
                "the tail shows LiteLLM's own failure, past its start-up banner: " + r.message());
        assertFalse(r.message().contains(secret), "the journal tail is masked");
        assertEquals(current, host.exec("readlink /var/lib/litellm-deploy/current").strip());
        assertTrue(models("-H 'Authorization: Bearer " + MASTER_KEY + "'").startsWith("200"), "the previous release serves again");
    }

    /**
     * A config whose models come from an include: file and whose auth is a custom_auth module beside it: both are bundled,
     * installed beside config.yaml with its owner and mode, and in force in the real LiteLLM (the included models are served;
     * the key the module accepts gets 200, any other key is refused). Measured: LiteLLM 1.80.9 asks custom_auth about
     * /health/readiness too (401 without a key when the module refuses it), so a custom_auth must let the health routes through
     * for wait-ready to see the proxy ready (docs/validation.md).
     */
    @Test
    @Order(10)
    void includedModelsAndACustomAuthModuleReachTheServerAndAreInForce() throws Exception {
        Path dir = Files.createDirectories(work.resolve("include"));
        Files.writeString(dir.resolve("models.yaml"), "model_list:\n  - model_name: included-one\n    litellm_params: {model: openai/one}\n"
                + "  - model_name: included-two\n    litellm_params: {model: openai/two}\n");
        Files.writeString(dir.resolve("custom_auth.py"), """
                from fastapi import Request
                from litellm.proxy._types import UserAPIKeyAuth

                ACCEPTED = {"%s", "%s"}
                # LiteLLM asks custom_auth about every route, its health checks too (without it they are public)
                PUBLIC = {"/health/readiness", "/health/liveliness"}

                async def user_api_key_auth(request: Request, api_key: str) -> UserAPIKeyAuth:
                    if api_key in ACCEPTED or request.url.path in PUBLIC:
                        return UserAPIKeyAuth(api_key=api_key)
                    raise Exception("custom_auth refuses this key")
                """.formatted(MASTER_KEY, CUSTOM_AUTH_KEY));
        HostResult r = deploy(Fixtures.configBundle(dir, "include: [models.yaml]\ngeneral_settings:\n  master_key: " + MASTER_KEY
                + "\n  custom_auth: custom_auth.user_api_key_auth\n", BundleOptions.defaults().withEnvironment(offline())));
        assertEquals(HostResult.Outcome.SUCCESS, r.outcome(), r.message());
        String config = host.exec("stat -c '%U %G %a' /etc/litellm/config.yaml").strip();
        for (String f : List.of("models.yaml", "custom_auth.py")) {
            assertEquals(config, host.exec("stat -c '%U %G %a' /etc/litellm/" + f).strip(), f + " has config.yaml's owner and mode");
        }
        String accepted = models("-H 'Authorization: Bearer " + CUSTOM_AUTH_KEY + "'");
        assertTrue(accepted.startsWith("200") && accepted.contains("\"id\":\"included-one\"") && accepted.contains("\"id\":\"included-two\""),
                "the included models, for the key custom_auth accepts: " + accepted);
        String refused = models("-H 'Authorization: Bearer sk-fake-not-accepted-0000'");
        assertTrue(refused.startsWith("401") || refused.startsWith("403"), "custom_auth refuses another key: " + refused);
        report("custom_auth: status for a key it refuses", refused.lines().findFirst().orElse(""));
    }

    /** Rolling back to the release before brings back its files: the include and the module are no longer beside config.yaml. */
    @Test
    @Order(11)
    void aRollbackToAReleaseWithoutTheIncludeRemovesItsFilesAndServes() throws Exception {
        DeploySettings settings = DeploySettings.defaults().withUv(UvSource.localFile(litellm.uvArchive()))
                .withReadyTimeout(Duration.ofMinutes(5)).withActor("test-actor@ci");
        HostResult r = new Deployer(Fixtures.ssh(host, TestHost.ROOT), settings, Fixtures.checked(timer)).rollback(Fixtures.targets(host), null)
                .hosts().get(0);
        assertEquals(HostResult.Outcome.SUCCESS, r.outcome(), r.message());
        assertEquals("", host.exec("ls /etc/litellm | grep -E '^(models.yaml|custom_auth.py)$' || true").strip(), "the include's files stayed live");
        assertTrue(models("-H 'Authorization: Bearer " + MASTER_KEY + "'").startsWith("200"), "the release before serves again");
        assertTrue(models("-H 'Authorization: Bearer " + CUSTOM_AUTH_KEY + "'").matches("(?s)4\\d\\d\n.*"), "custom_auth is no longer in force");
    }

    @Test
    @Order(7)
    void inEnvFileModeRealLitellmResolvesTheSecretsFromLitellmEnvAndTheProviderGetsTheKey() throws Exception {
        FakeProvider provider = FakeProvider.startedOn(host, PROVIDER_PORT);
        int before = provider.requests().size();
        HostResult r = deploy(bundle("env-file", BundleOptions.defaults().withEnvFileMode(true).withEnvironment(offline())));
        assertEquals(HostResult.Outcome.SUCCESS, r.outcome(), r.message());
        String config = host.exec("cat /etc/litellm/config.yaml");
        assertTrue(config.contains("os.environ/") && !config.contains("sk-fake-scone"), "config.yaml holds references, not secrets");
        assertTrue(models("").startsWith("401"), "the master key from litellm.env is in force");
        assertTrue(models("-H 'Authorization: Bearer " + MASTER_KEY + "'").startsWith("200"));
        assertTrue(chat(false).contains("echo: hello from the test"));
        List<JsonNode> received = provider.requests();
        assertEquals(before + 1, received.size(), received.toString());
        assertEquals(sconeKeySha256(), received.get(before).path("key_sha256").asText(),
                "the provider got scone_labs.api_key, resolved by LiteLLM from litellm.env");
    }

    private static String sconeKeySha256() throws IOException {
        return FakeProvider.sha256(new ObjectMapper().readTree(Fixtures.EXAMPLES.resolve("secrets/providers/scone-labs.json").toFile())
                .path("scone_labs").path("api_key").asText());
    }

    /** The example plus the provider-echo model, pinned to this LiteLLM version, with this unit environment. */
    private static Bundle bundle(String name, String version, Map<String, String> env) throws Exception {
        return bundle(name, BundleOptions.defaults().withLitellmVersion(version).withEnvironment(env));
    }

    private static Bundle bundle(String name, BundleOptions options) throws Exception {
        return RealLiteLlmFixtures.bundle(work, name, options, PROVIDER_PORT);
    }

    private static String providerEcho() {
        return RealLiteLlmFixtures.providerEcho(PROVIDER_PORT);
    }

    /** Ready, running this version (uvx's command line and the dist-info in its environment), routing a chat completion. */
    private static void assertServes(String version) {
        assertTrue(host.exec("curl -sS http://127.0.0.1:4000/health/readiness").contains("\"status\":\"healthy\""));
        assertTrue(host.exec("ps -o args= -p " + mainPid()).contains("litellm==" + version), "uvx runs litellm==" + version);
        String installed = host.exec("python=$(ps -o args= --ppid " + mainPid() + " | awk '{print $1}'); "
                + "ls $(dirname $python)/../lib/python3.11/site-packages | grep '^litellm-[0-9].*dist-info$'").strip();
        assertEquals("litellm-" + version + ".dist-info", installed);
        String answer = chat(false);
        assertTrue(answer.contains("echo: hello from the test"), answer);
        assertTrue(models("-H 'Authorization: Bearer " + MASTER_KEY + "'").contains("\"id\":\"frontier-muffin\""));
    }

    /** Seconds from the last "Started litellm.service" to LiteLLM's "Application startup complete" in the journal. */
    private static String journalStartToReady() {
        return host.exec("journalctl -u litellm -o short-unix --no-pager | awk '/Started litellm.service/ {s=$1} "
                + "/Application startup complete/ {e=$1} END {printf \"%.1f s\", e-s}'").strip();
    }

    /** A deploy with smoke requests to these models (issue 22): one chat completion each through the new release. */
    private static HostResult deploySmoking(Bundle bundle, String... models) throws Exception {
        steps.clear();
        DeploySettings settings = DeploySettings.defaults().withUv(UvSource.localFile(litellm.uvArchive()))
                .withReadyTimeout(Duration.ofMinutes(5)).withActor("test-actor@ci").withWheelhouse(RealLiteLlmFixtures.wheelhouseFor(bundle))
                .withSmoke(Smoke.of(List.of(models), false));
        return new Deployer(Fixtures.ssh(host, TestHost.ROOT), settings, Fixtures.checked(timer)).deploy(bundle, Fixtures.targets(host)).hosts().get(0);
    }

    /** provider-echo with another upstream model name and key (the fake provider refuses sk-fake-revoked* and renamed-*). */
    private static String providerEchoWith(String model, String key) {
        return "- model_name: provider-echo\n  litellm_params:\n    model: openai/" + model + "\n    api_base: http://127.0.0.1:" + PROVIDER_PORT
                + "/v1\n    api_key: " + key + "\n";
    }

    @Test
    @Order(12)
    void aSmokeRequestThroughRealLitellmPassesWhenTheProviderAnswers() throws Exception {
        FakeProvider provider = FakeProvider.startedOn(host, PROVIDER_PORT);
        int before = provider.requests().size();
        HostResult r = deploySmoking(Fixtures.exampleBundle(work.resolve("smoke-good"), Map.of("40-provider-echo", providerEcho(),
                "41-smoke-marker", "- model_name: smoke-marker\n  litellm_params: {model: openai/marker}\n"), offline()), "provider-echo");
        assertEquals(HostResult.Outcome.SUCCESS, r.outcome(), r.message());
        String detail = r.steps().stream().filter(st -> st.step().equals("smoke")).map(StepTiming::detail).findFirst().orElse("NO SMOKE STEP");
        assertTrue(detail.matches("provider-echo 200 in \\d+ ms"), detail);
        List<JsonNode> received = provider.requests();
        assertEquals(before + 1, received.size(), "exactly one request reached the provider: " + received);
        assertEquals("echo-1", received.get(before).path("model").asText());
        report("smoke request through real LiteLLM to the fake provider", detail);
    }

    @Test
    @Order(13)
    void aRevokedProviderKeyFailsTheSmokeRequestAndTheDeployRollsBackWhileThePreviousReleaseStillAnswers() throws Exception {
        String current = host.exec("readlink /var/lib/litellm-deploy/current").strip();
        HostResult r = deploySmoking(Fixtures.exampleBundle(work.resolve("smoke-401"),
                Map.of("40-provider-echo", providerEchoWith("echo-1", "sk-fake-revoked-0001")), offline()), "provider-echo");
        assertEquals(HostResult.Outcome.FAILED_ROLLED_BACK, r.outcome(), r.message());
        assertTrue(r.message().contains("smoke request to provider-echo got 401"), r.message());
        assertFalse(r.message().contains("sk-fake-revoked-0001"), "the key is masked: " + r.message());
        assertEquals(current, host.exec("readlink /var/lib/litellm-deploy/current").strip(), "the release before is current again");
        assertTrue(chat(false).contains("echo: hello from the test"), "the release before answers");
        report("smoke 401 (revoked key): the deploy's message", r.message().lines().findFirst().orElse(""));
    }

    @Test
    @Order(14)
    void aModelTheProviderRenamedFailsTheSmokeRequestWith404AndRollsBack() throws Exception {
        HostResult r = deploySmoking(Fixtures.exampleBundle(work.resolve("smoke-404"),
                Map.of("40-provider-echo", providerEchoWith("renamed-echo-2", "sk-fake-scone-smoke-0001")), offline()), "provider-echo");
        assertEquals(HostResult.Outcome.FAILED_ROLLED_BACK, r.outcome(), r.message());
        assertTrue(r.message().contains("smoke request to provider-echo got 404"), r.message());
        assertTrue(chat(false).contains("echo: hello from the test"), "the release before answers");
        report("smoke 404 (renamed model): the deploy's message", r.message().lines().findFirst().orElse(""));
    }
}
