package dev.litellmdeploy.cli.action;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.litellmdeploy.cli.ActionCommand;
import dev.litellmdeploy.cli.OptionTable;
import dev.litellmdeploy.cli.github.GitHubApiStub;
import dev.litellmdeploy.testsupport.MachinePreparation;
import dev.litellmdeploy.testsupport.LeakGuard;
import dev.litellmdeploy.testsupport.TestFiles;
import dev.litellmdeploy.testsupport.TestHost;
import picocli.CommandLine;

/**
 * Action mode end to end, with an environment like the runner's (hyphenated INPUT_ names, the
 * GITHUB_* set, file commands), against the systemd + OpenSSH test host and a WireMock GitHub API.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
public class ActionModeTest {
    @RegisterExtension
    static final TestHost host = new TestHost();

    @TempDir
    static Path runner;

    static final GitHubApiStub github = new GitHubApiStub().accepting().pullRequestSeven();
    static final String TOKEN = "ghs_fake_action_token_0123456789";
    public static final String SHA = "0123456789abcdef0123456789abcdef01234567";

    @AfterAll
    static void stop() {
        github.close();
    }

    record Run(int exit, String stdout, String stderr, String outputs, String summary) {
    }

    /**
     * The inputs the runner passes for a step that sets none: action.yml's defaults (the table's), but unlocked: the stand-in
     * uv builds no environment. The runner fills github-token itself.
     */
    public static Map<String, String> runnerDefaults() {
        Map<String, String> inputs = new LinkedHashMap<>();
        OptionTable.inputs().stream().filter(i -> i.defaultValue() != null && i != OptionTable.GITHUB_TOKEN)
                .forEach(i -> inputs.put(i.input(), i.defaultValue()));
        inputs.put("unlocked", "true");
        return inputs;
    }

    /** The GITHUB_* variables and file commands the runner gives a Docker action. */
    public static Map<String, String> runnerEnvironment(Path home, Path workspace, Path commands, String apiUrl) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("HOME", home.resolve("home").toString());
        env.put("CI", "true");
        env.put("GITHUB_ACTIONS", "true");
        env.put("GITHUB_REPOSITORY", GitHubApiStub.REPO);
        env.put("GITHUB_SHA", SHA);
        env.put("GITHUB_REF", "refs/heads/main");
        env.put("GITHUB_RUN_ID", "99");
        env.put("GITHUB_RUN_ATTEMPT", "1");
        env.put("GITHUB_SERVER_URL", "https://github.example.invalid");
        env.put("GITHUB_API_URL", apiUrl);
        env.put("GITHUB_ACTOR", "octocat");
        env.put("GITHUB_EVENT_NAME", "push");
        env.put("GITHUB_WORKSPACE", workspace.toString());
        env.put("GITHUB_OUTPUT", commands.resolve("set_output_1").toString());
        env.put("GITHUB_STEP_SUMMARY", commands.resolve("step_summary_1").toString());
        return env;
    }

    /** The environment the runner gives a Docker action (action.yml's defaults included), then runs it. */
    private static Run run(String name, Map<String, String> inputs) throws IOException {
        return run(name, inputs, Map.of());
    }

    private static Run run(String name, Map<String, String> inputs, Map<String, String> runnerOverrides) throws IOException {
        return run(name, inputs, runnerOverrides, Map.of());
    }

    /** {@code files}: more files of the workspace (a pull request's change), by path under the checked-out examples. */
    private static Run run(String name, Map<String, String> inputs, Map<String, String> runnerOverrides, Map<String, String> files)
            throws IOException {
        Path workspace = runner.resolve(name + "/workspace");
        Path commands = Files.createDirectories(runner.resolve(name + "/file_commands"));
        TestFiles.copyTree(MachinePreparation.projectRoot().resolve("examples"), workspace.resolve("deploy"));
        for (var f : files.entrySet()) {
            Files.writeString(workspace.resolve("deploy").resolve(f.getKey()), f.getValue());
        }
        Map<String, String> env = runnerEnvironment(runner.resolve(name), workspace, commands, github.apiUrl());
        env.putAll(runnerOverrides);
        Map<String, String> all = runnerDefaults();
        all.put("health-timeout", "60s");
        all.putAll(inputs);
        all.forEach((k, v) -> env.put("INPUT_" + k.toUpperCase(), v));
        ActionCommand command = new ActionCommand();
        command.setEnvironmentForTests(env, Duration.ofMillis(10));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = new CommandLine(command).setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true)).execute();
        LeakGuard.secret(TOKEN);
        return new Run(exit, LeakGuard.scan("stdout of " + name, out.toString()), LeakGuard.scan("stderr of " + name, err.toString()),
                LeakGuard.scan("$GITHUB_OUTPUT of " + name, TestFiles.readIfExists(commands.resolve("set_output_1"))),
                LeakGuard.scan("job summary of " + name, TestFiles.readIfExists(commands.resolve("step_summary_1"))));
    }

    private static Map<String, String> goodInputs() {
        return Map.of("host", host.host() + ":" + host.sshPort(), "ssh-key", host.keys().privateKeyOpenSsh(), "known-hosts",
                host.knownHostsLine() + "\n", "templates", "deploy/templates", "secrets", "deploy/secrets", "github-token", TOKEN,
                "environment-url", "https://llm.example.invalid");
    }

    private static List<String> secrets() throws Exception {
        return ExampleSecrets.all(host, TOKEN);
    }

    private static void assertNoSecretIn(String where, String text) {
        LeakGuard.check(where, text);
    }

    @Test
    @Order(1)
    void aDeployFromAnEnvironmentLikeTheRunnersServesTheModelsAndReportsEverywhereWithoutLeaking() throws Exception {
        Run r = run("good", goodInputs());
        assertEquals(0, r.exit(), r.stdout() + r.stderr());

        List<String> lines = r.stdout().lines().toList();
        int firstOther = 0;
        while (firstOther < lines.size() && lines.get(firstOther).startsWith("::add-mask::")) {
            firstOther++;
        }
        List<String> masks = lines.subList(0, firstOther).stream().map(l -> l.substring("::add-mask::".length())).toList();
        for (String s : secrets()) {
            assertTrue(masks.contains(s), "masked before any other output");
        }
        assertTrue(lines.stream().skip(firstOther).noneMatch(l -> l.startsWith("::add-mask::")));
        String afterMasks = String.join("\n", lines.subList(firstOther, lines.size()));
        assertTrue(afterMasks.contains("::group::Build the bundle") && afterMasks.contains("::endgroup::"), afterMasks);

        String served = host.exec("curl -sf -H 'Authorization: Bearer sk-fake-master-key-example-0000000000' http://127.0.0.1:4000/v1/models");
        assertTrue(served.contains("frontier-muffin") && served.contains("local-crumpet"), served);

        Map<String, String> outputs = new LinkedHashMap<>();
        r.outputs().lines().forEach(l -> outputs.put(l.substring(0, l.indexOf('=')), l.substring(l.indexOf('=') + 1)));
        assertEquals("42", outputs.get("deployment-id"));
        assertEquals("true", outputs.get("changed"));
        assertTrue(outputs.get("config-sha256").matches("[0-9a-f]{64}"), outputs.toString());
        assertEquals(host.exec("readlink /var/lib/litellm-deploy/current").strip().replace("releases/", ""), outputs.get("release"));
        assertEquals("https://llm.example.invalid", outputs.get("environment-url"));

        assertTrue(r.summary().contains("## LiteLLM deploy: deployed") && r.summary().contains("frontier-muffin")
                && r.summary().contains("| wait-ready |"), r.summary());

        var posts = github.posts();
        assertEquals(3, posts.size());
        var bodies = posts.stream().map(p -> p.getBodyAsString()).toList();
        var json = new ObjectMapper();
        assertEquals("production", json.readTree(bodies.get(0)).get("environment").asText());
        assertEquals(SHA, json.readTree(bodies.get(0)).get("ref").asText());
        assertEquals("in_progress", json.readTree(bodies.get(1)).get("state").asText());
        assertEquals("success", json.readTree(bodies.get(2)).get("state").asText());
        assertEquals("https://github.example.invalid/acme/gateway/actions/runs/99", json.readTree(bodies.get(2)).get("log_url").asText());
        assertEquals("https://llm.example.invalid", json.readTree(bodies.get(2)).get("environment_url").asText());

        assertNoSecretIn("stdout (after the masks)", afterMasks);
        assertNoSecretIn("stderr", r.stderr());
        assertNoSecretIn("the summary", r.summary());
        assertNoSecretIn("the outputs", r.outputs());
        assertNoSecretIn("the GitHub requests", String.join("\n", bodies));
    }

    @Test
    @Order(2)
    void aBrokenSecretsRepoFailsWithAnAnnotationAnErrorStatusAndNothingChangedOnTheServer() throws Exception {
        github.server.resetRequests();
        String pid = host.exec("systemctl show -p MainPID --value litellm").strip();
        String release = host.exec("readlink /var/lib/litellm-deploy/current").strip();
        Map<String, String> inputs = new LinkedHashMap<>(goodInputs());
        Path workspace = runner.resolve("broken/workspace/deploy/secrets");
        Files.createDirectories(workspace);
        Files.writeString(workspace.resolve("zz-broken.yaml"), "broken:\n\tkey: sk-fake-broken-value-1234567\n");
        Run r = run("broken", inputs);
        assertEquals(3, r.exit(), r.stdout());
        assertTrue(r.stdout().contains("::error file=deploy/secrets/zz-broken.yaml,line=2::"), r.stdout());
        assertFalse(r.stdout().contains("sk-fake-broken-value-1234567"));
        var posts = github.posts();
        assertEquals(2, posts.size());
        assertTrue(posts.get(1).getBodyAsString().contains("\"state\":\"error\""), posts.get(1).getBodyAsString());
        assertEquals(pid, host.exec("systemctl show -p MainPID --value litellm").strip());
        assertEquals(release, host.exec("readlink /var/lib/litellm-deploy/current").strip());
        assertTrue(r.summary().contains("not started (invalid templates or secrets)"), r.summary());
    }

    @Test
    @Order(3)
    void aDryRunPlansChangesNothingAndRecordsNoDeployment() throws Exception {
        github.server.resetRequests();
        String pid = host.exec("systemctl show -p MainPID --value litellm").strip();
        Map<String, String> inputs = new LinkedHashMap<>(goodInputs());
        inputs.put("dry-run", "true");
        inputs.put("litellm-version", "1.81.0");
        Run r = run("dry", inputs);
        assertEquals(0, r.exit(), r.stdout());
        assertTrue(r.stdout().contains("::group::Plan (1 host(s))"), r.stdout());
        assertTrue(r.summary().contains("planned (nothing changed)"), r.summary());
        assertEquals(0, github.posts().size(), "a dry run records no deployment");
        assertEquals(pid, host.exec("systemctl show -p MainPID --value litellm").strip());
        assertTrue(host.exec("cat /etc/systemd/system/litellm.service").contains("litellm==1.80.9"), "the unit was not changed");
    }

    @Test
    @Order(4)
    void missingRunnerVariablesAreAClearErrorNotAStackTrace() {
        ActionCommand command = new ActionCommand();
        command.setEnvironmentForTests(Map.of("INPUT_HOST", "agent"), Duration.ofMillis(10));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = new CommandLine(command).setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true)).execute();
        assertEquals(3, exit);
        assertTrue(out.toString().contains("::error::action mode needs the GitHub Actions runner's variables; missing: GITHUB_REPOSITORY"),
                out.toString());
        assertFalse((out + err.toString()).contains("Exception"));
    }

    /** A pull_request event as the runner gives it: the event file names the pull request. */
    private static Map<String, String> pullRequestEvent(String name) throws IOException {
        Path event = Files.createDirectories(runner.resolve(name)).resolve("event.json");
        Files.writeString(event, "{\"action\": \"synchronize\", \"number\": 7, \"pull_request\": {\"number\": 7, \"head\": {\"sha\": \"" + SHA + "\"}}}");
        return Map.of("GITHUB_EVENT_NAME", "pull_request", "GITHUB_REF", "refs/pull/7/merge", "GITHUB_EVENT_PATH", event.toString());
    }

    private static String current() throws Exception {
        return host.exec("readlink /var/lib/litellm-deploy/current").strip().replace("releases/", "");
    }

    @Test
    @Order(5)
    void aPullRequestPlansEveryHostAsOneCommentUpdatedOnTheNextPushAndChangesNothing() throws Exception {
        github.server.resetRequests();
        String pid = host.exec("systemctl show -p MainPID --value litellm").strip();
        Map<String, String> inputs = goodInputs();
        Map<String, String> change = Map.of("templates/models/40-new-bagel.yaml.mustache",
                "- model_name: new-bagel\n  litellm_params:\n    model: ollama/bagel:3b\n    api_base: {{ollama.api_base}}\n");
        Run first = run("pr-1", inputs, pullRequestEvent("pr-1"), change);
        assertEquals(0, first.exit(), first.stdout());
        assertTrue(first.stdout().contains("pull_request event: planning only") && first.stdout().contains("::group::Plan (1 host(s))"),
                first.stdout());
        Run second = run("pr-2", inputs, pullRequestEvent("pr-2"), change);
        assertEquals(0, second.exit(), second.stdout());
        List<String> writes = github.writes();
        assertEquals(2, writes.size(), "no deployment, one comment created then edited: " + writes);
        assertTrue(writes.get(0).startsWith("POST /api/v3/repos/acme/gateway/issues/7/comments {\"body\":\"<!-- litellm-deploy plan: production -->"),
                writes.get(0));
        assertTrue(writes.get(1).startsWith("PATCH /api/v3/repos/acme/gateway/issues/comments/900 "), writes.get(1));
        String body = new ObjectMapper().readTree(writes.get(1).substring(writes.get(1).indexOf('{'))).get("body").asText();
        String where = host.host() + ":" + host.sshPort();
        assertTrue(body.contains("### LiteLLM plan for `production`: 1 of 1 host(s) would change"), body);
        assertTrue(body.contains("| `" + where + "` | changes | "), body);
        assertTrue(body.contains("config.yaml") && body.contains(" | yes"), "the config changes, so the service restarts: " + body);
        assertTrue(body.contains("<details><summary>Config diff on `" + where + "` (secrets redacted)</summary>\n\n```diff\n"), body);
        assertTrue(body.contains("+  - model_name: new-bagel") || body.contains("+- model_name: new-bagel"), "the diff shows the new model: " + body);
        assertNoSecretIn("the comment", body);
        assertTrue(second.summary().contains("planned (nothing changed)"), second.summary());
        assertEquals(pid, host.exec("systemctl show -p MainPID --value litellm").strip());
        assertFalse(host.exec("cat /etc/litellm/config.yaml").contains("new-bagel"), "nothing was installed");
        assertEquals(List.of(), github.problems(), "the comments as GitHub's REST description says");
    }

    @Test
    @Order(6)
    void aRollbackIsADeploymentOfTheEarlierReleaseAndStatusRecordsNothing() throws Exception {
        String first = current();
        Map<String, String> changed = new LinkedHashMap<>(goodInputs());
        changed.put("unit-env", "LITELLM_DEPLOY_TEST_MARK=second");
        changed.put("github-token", TOKEN + "\n");
        Run deploy = run("second", changed);
        assertEquals(0, deploy.exit(), deploy.stdout());
        String second = current();
        assertFalse(first.equals(second), "a second release");

        github.server.resetRequests();
        Map<String, String> inputs = new LinkedHashMap<>(goodInputs());
        inputs.put("command", "rollback");
        Run r = run("rollback", inputs);
        assertEquals(0, r.exit(), r.stdout());
        assertEquals(first, current(), "back on the first release");
        var bodies = github.posts().stream().map(p -> p.getBodyAsString()).toList();
        var json = new ObjectMapper();
        assertEquals(3, bodies.size(), bodies.toString());
        assertEquals(json.readTree("""
                {"ref": "%s", "task": "deploy:rollback", "auto_merge": false, "required_contexts": [], "environment": "production",
                 "description": "Rolling back to the previous release on 1 host(s)",
                 "payload": "{\\"rollback_to\\":\\"previous\\",\\"hosts\\":[\\"%s\\"]}"}""".formatted(SHA, host.host() + ":" + host.sshPort())),
                json.readTree(bodies.get(0)));
        assertEquals(json.readTree("""
                {"state": "success", "description": "Rolled back to %s on 1 host(s)", "log_url": "https://github.example.invalid/acme/gateway/actions/runs/99",
                 "environment_url": "https://llm.example.invalid"}""".formatted(first)), json.readTree(bodies.get(2)));
        assertTrue(r.outputs().contains("release=" + first + "\n"), r.outputs());
        assertTrue(r.summary().contains("## LiteLLM deploy: rolled back to the previous release"), r.summary());
        assertEquals(List.of(), github.problems(), "the rollback's deployment as GitHub's REST description says");

        github.server.resetRequests();
        inputs.put("command", "status");
        Run st = run("status", inputs);
        assertEquals(0, st.exit(), st.stdout());
        assertTrue(st.stdout().contains(": release " + first + ", active, ready yes"), st.stdout());
        assertTrue(st.summary().contains("## LiteLLM deploy: status") && st.summary().contains("`" + first + "`"), st.summary());
        assertEquals(List.of(), github.posts(), "status records nothing");
    }
}
