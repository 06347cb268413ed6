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

    static final GitHubApiStub github = new GitHubApiStub().accepting();
    static final String TOKEN = "ghs_fake_action_token_0123456789";
    public static final String SHA = "0123456789abcdef0123456789abcdef01234567";

    @AfterAll
    static void stop() {
        github.close();
    }

    record Run(int exit, String stdout, String stderr, String outputs, String summary) {
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
        Path workspace = runner.resolve(name + "/workspace");
        Path commands = Files.createDirectories(runner.resolve(name + "/file_commands"));
        TestFiles.copyTree(MachinePreparation.projectRoot().resolve("examples"), workspace.resolve("deploy"));
        Map<String, String> env = runnerEnvironment(runner.resolve(name), workspace, commands, github.apiUrl());
        Map<String, String> all = new LinkedHashMap<>();
        OptionTable.inputs().stream().filter(i -> i.defaultValue() != null && i != OptionTable.GITHUB_TOKEN)
                .forEach(i -> all.put(i.input(), i.defaultValue()));
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
        assertTrue(r.summary().contains("planned (dry run)"), r.summary());
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
}
