package dev.litellmdeploy.cli.action;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

import dev.litellmdeploy.cli.github.GitHubApiStub;
import dev.litellmdeploy.testsupport.MachinePreparation;
import dev.litellmdeploy.testsupport.LeakGuard;
import dev.litellmdeploy.testsupport.TestFiles;
import dev.litellmdeploy.testsupport.TestHost;

/**
 * The action image, built from the Dockerfile and run the way the Actions runner runs container
 * actions: --workdir /github/workspace, the workspace / file_commands / home mounts owned by the
 * runner's uid 1001, every input action.yml declares passed as INPUT_<NAME> (hyphens kept, by
 * name: `-e NAME`), the GITHUB_* set with the file commands under /github/file_commands, and
 * action.yml's args. Against the systemd + OpenSSH test host and a WireMock GitHub API on
 * loopback (the container shares the host's network to reach them; the runner would use its own
 * Docker network).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ActionImageIT {
    static final Path ROOT = MachinePreparation.projectRoot();
    static final String IMAGE = "litellm-deploy-action:it";
    static final String TOKEN = "ghs_fake_image_token_0123456789";
    static final String SHA = "89abcdef0123456789abcdef0123456789abcdef";

    @RegisterExtension
    static final TestHost host = new TestHost();

    @TempDir
    static Path runner;

    static final GitHubApiStub github = new GitHubApiStub().accepting().pullRequestSeven();

    @BeforeAll
    static void buildImage() throws Exception {
        run(List.of("bash", ROOT.resolve("tools/action-image").toString()), Map.of(), 300);
        run(List.of("docker", "build", "-q", "--target", "runtime-prebuilt", "-t", IMAGE, ROOT.toString()), Map.of(), 600);
    }

    @AfterAll
    static void stop() {
        github.close();
    }

    record Result(int exit, String stdout, String stderr, String outputs, String summary) {
    }

    static Result runAction(String name, Map<String, String> given, Path extraSecret, String extraSecretText) throws Exception {
        return runAction(name, given, extraSecret, extraSecretText, Map.of());
    }

    /** {@code event}: GITHUB_* replacements; a pull_request event also gets the runner's event file, /github/workflow/event.json. */
    static Result runAction(String name, Map<String, String> given, Path extraSecret, String extraSecretText, Map<String, String> event)
            throws Exception {
        Path base = runner.resolve(name);
        Path workspace = base.resolve("workspace");
        Path commands = Files.createDirectories(base.resolve("file_commands"));
        Path home = Files.createDirectories(base.resolve("home"));
        Path workflow = Files.createDirectories(base.resolve("workflow"));
        Files.writeString(workflow.resolve("event.json"), "{\"number\": 7, \"pull_request\": {\"number\": 7}}");
        TestFiles.copyTree(ROOT.resolve("examples"), workspace.resolve("deploy"));
        if (extraSecret != null) {
            Files.writeString(workspace.resolve("deploy/secrets").resolve(extraSecret), extraSecretText);
        }
        run(List.of("chown", "-R", "1001:1001", base.toString()), Map.of(), 30);
        String id = UUID.randomUUID().toString();

        Map<String, String> env = new LinkedHashMap<>();
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> inputs = (Map<String, Map<String, Object>>) ((Map<String, Object>) new Yaml()
                .load(Files.readString(ROOT.resolve("action.yml")))).get("inputs");
        inputs.forEach((input, spec) -> {
            Object dflt = spec.get("default");
            String value = given.getOrDefault(input, dflt == null ? "" : String.valueOf(dflt));
            env.put("INPUT_" + input.toUpperCase().replace(' ', '_'), value.equals("${{ github.token }}") ? TOKEN : value);
        });
        env.putAll(Map.ofEntries(Map.entry("HOME", "/github/home"), Map.entry("CI", "true"), Map.entry("GITHUB_ACTIONS", "true"),
                Map.entry("GITHUB_REPOSITORY", GitHubApiStub.REPO), Map.entry("GITHUB_SHA", SHA), Map.entry("GITHUB_REF", "refs/heads/main"),
                Map.entry("GITHUB_RUN_ID", "4242"), Map.entry("GITHUB_RUN_ATTEMPT", "1"), Map.entry("GITHUB_SERVER_URL", "https://github.example.invalid"),
                Map.entry("GITHUB_API_URL", github.apiUrl()), Map.entry("GITHUB_ACTOR", "octocat"), Map.entry("GITHUB_EVENT_NAME", "push"),
                Map.entry("GITHUB_WORKSPACE", "/github/workspace"), Map.entry("GITHUB_OUTPUT", "/github/file_commands/set_output_" + id),
                Map.entry("GITHUB_STEP_SUMMARY", "/github/file_commands/step_summary_" + id),
                Map.entry("GITHUB_EVENT_PATH", "/github/workflow/event.json")));
        env.putAll(event);
        List<String> cmd = new ArrayList<>(List.of("docker", "run", "--rm", "--network", "host", "--workdir", "/github/workspace",
                "-v", workspace + ":/github/workspace", "-v", commands + ":/github/file_commands", "-v", home + ":/github/home", "-v", workflow + ":/github/workflow"));
        env.keySet().forEach(k -> cmd.addAll(List.of("-e", k)));
        cmd.add(IMAGE);
        cmd.add("action");
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().putAll(env);
        pb.redirectOutput(base.resolve("stdout").toFile()).redirectError(base.resolve("stderr").toFile());
        Process p = pb.start();
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "the action finished");
        LeakGuard.secret(TOKEN);
        return new Result(p.exitValue(), LeakGuard.scan("stdout of the image", Files.readString(base.resolve("stdout"))),
                LeakGuard.scan("stderr of the image", Files.readString(base.resolve("stderr"))),
                LeakGuard.scan("$GITHUB_OUTPUT of the image", TestFiles.readIfExists(commands.resolve("set_output_" + id))),
                LeakGuard.scan("job summary of the image", TestFiles.readIfExists(commands.resolve("step_summary_" + id))));
    }

    static Map<String, String> inputs() {
        return Map.of("host", host.host() + ":" + host.sshPort(), "ssh-key", host.keys().privateKeyOpenSsh(), "known-hosts",
                host.knownHostsLine() + "\n", "templates", "deploy/templates", "secrets", "deploy/secrets", "environment-url",
                "https://llm.example.invalid", "health-timeout", "60s", "unlocked", "true"); // the stand-in uv builds no environment
    }

    static void assertNoSecret(String where, String text) {
        LeakGuard.check(where, text);
    }

    @Test
    @Order(1)
    void theImageRunLikeTheRunnerDeploysReportsAndLeaksNothing() throws Exception {
        Result r = runAction("good", inputs(), null, null);
        assertEquals(0, r.exit(), r.stdout() + r.stderr());
        assertTrue(host.exec("curl -sf -H 'Authorization: Bearer sk-fake-master-key-example-0000000000' http://127.0.0.1:4000/v1/models")
                .contains("frontier-muffin"));
        assertTrue(r.outputs().contains("deployment-id=42\n") && r.outputs().contains("changed=true\n"), r.outputs());
        assertTrue(r.summary().contains("## LiteLLM deploy: deployed"), r.summary());
        var bodies = github.posts().stream().map(x -> x.getBodyAsString()).toList();
        assertEquals(3, bodies.size());
        assertTrue(bodies.get(1).contains("\"state\":\"in_progress\"") && bodies.get(2).contains("\"state\":\"success\""), bodies.toString());
        String afterMasks = String.join("\n", r.stdout().lines().filter(l -> !l.startsWith("::add-mask::")).toList());
        assertNoSecret("stdout", afterMasks);
        assertNoSecret("stderr", r.stderr());
        assertNoSecret("the summary", r.summary());
        assertNoSecret("the outputs", r.outputs());
        assertNoSecret("the GitHub requests", String.join("\n", bodies));
    }

    @Test
    @Order(2)
    void aBrokenSecretsRepoFailsWithAnAnnotationAnErrorStatusAndNothingChanged() throws Exception {
        github.server.resetRequests();
        String pid = host.exec("systemctl show -p MainPID --value litellm").strip();
        Result r = runAction("broken", inputs(), Path.of("zz-broken.yaml"), "broken:\n\tkey: sk-fake-broken-value-7654321\n");
        assertEquals(3, r.exit(), r.stdout());
        assertTrue(r.stdout().contains("::error file=deploy/secrets/zz-broken.yaml,line=2::"), r.stdout());
        var bodies = github.posts().stream().map(x -> x.getBodyAsString()).toList();
        assertEquals(2, bodies.size());
        assertTrue(bodies.get(1).contains("\"state\":\"error\""), bodies.toString());
        assertEquals(pid, host.exec("systemctl show -p MainPID --value litellm").strip());
    }

    @Test
    @Order(3)
    void aPullRequestRunOfTheImagePlansCommentsOnceAndChangesNothing() throws Exception {
        github.server.resetRequests();
        String pid = host.exec("systemctl show -p MainPID --value litellm").strip();
        Map<String, String> given = new LinkedHashMap<>(inputs());
        given.put("unit-env", "LITELLM_DEPLOY_IMAGE_MARK=planned");
        given.put("command", "plan");
        given.put("unlocked", "false"); // the committed lock: a plan builds no environment, it says it would
        given.put("lock", "deploy/requirements.lock");
        Result r = runAction("pr", given, null, null, Map.of("GITHUB_EVENT_NAME", "pull_request", "GITHUB_REF", "refs/pull/7/merge"));
        assertEquals(0, r.exit(), r.stdout() + r.stderr());
        List<String> writes = github.writes();
        assertEquals(1, writes.size(), "one comment, no deployment: " + writes);
        assertTrue(writes.get(0).startsWith("POST /api/v3/repos/acme/gateway/issues/7/comments {\"body\":\"<!-- litellm-deploy plan: production -->"),
                writes.get(0));
        assertTrue(writes.get(0).contains("would change") && writes.get(0).contains("litellm.service"), writes.get(0));
        assertNoSecret("the comment", writes.get(0));
        assertEquals(pid, host.exec("systemctl show -p MainPID --value litellm").strip());

        github.server.resetRequests();
        given.put("lock", "requirements.lock"); // the default: not in this workspace
        Result missing = runAction("pr-no-lock", given, null, null, Map.of("GITHUB_EVENT_NAME", "pull_request", "GITHUB_REF", "refs/pull/7/merge"));
        assertTrue(missing.exit() != 0, "a run without its lock file fails: " + missing.stdout() + missing.stderr());
        assertTrue((missing.stdout() + missing.stderr()).contains("input lock: there is no lock file requirements.lock"),
                missing.stdout() + missing.stderr());
        assertEquals(List.of(), github.writes(), "it fails before any host or GitHub write");
        assertEquals(pid, host.exec("systemctl show -p MainPID --value litellm").strip());
    }

    @Test
    @Order(4)
    void aRollbackRunOfTheImageRecordsADeploymentOfTheEarlierRelease() throws Exception {
        String first = host.exec("readlink /var/lib/litellm-deploy/current").strip().replace("releases/", "");
        Map<String, String> changed = new LinkedHashMap<>(inputs());
        changed.put("unit-env", "LITELLM_DEPLOY_IMAGE_MARK=second");
        assertEquals(0, runAction("second", changed, null, null).exit());
        github.server.resetRequests();
        Map<String, String> given = new LinkedHashMap<>(inputs());
        given.put("command", "rollback");
        Result r = runAction("rollback", given, null, null);
        assertEquals(0, r.exit(), r.stdout() + r.stderr());
        assertEquals(first, host.exec("readlink /var/lib/litellm-deploy/current").strip().replace("releases/", ""));
        var bodies = github.posts().stream().map(x -> x.getBodyAsString()).toList();
        assertEquals(3, bodies.size(), bodies.toString());
        assertTrue(bodies.get(0).contains("\"task\":\"deploy:rollback\"") && bodies.get(0).contains("rollback_to"), bodies.get(0));
        assertTrue(bodies.get(2).contains("\"state\":\"success\"") && bodies.get(2).contains("Rolled back to " + first), bodies.get(2));
        assertTrue(r.outputs().contains("release=" + first + "\n"), r.outputs());
    }

    private static void run(List<String> cmd, Map<String, String> env, int seconds) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(seconds, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", cmd.subList(0, 2)) + " failed: " + out);
        }
    }
}
