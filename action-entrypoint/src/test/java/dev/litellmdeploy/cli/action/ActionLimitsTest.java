package dev.litellmdeploy.cli.action;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.litellmdeploy.cli.ActionCommand;
import dev.litellmdeploy.cli.ExitCodes;
import dev.litellmdeploy.cli.github.GitHubApiStub;
import dev.litellmdeploy.testsupport.LeakGuard;
import dev.litellmdeploy.testsupport.MachinePreparation;
import dev.litellmdeploy.testsupport.TestFiles;
import dev.litellmdeploy.testsupport.TestKeys;
import picocli.CommandLine;

/**
 * GitHub's limits on what a step may print and send (annotations per step, masks, the token input), in-process against a
 * WireMock GitHub; the server is a closed port, so every run ends at the connection without a test host.
 */
class ActionLimitsTest {
    static final String TOKEN = "ghs_fake_limits_token_0123456789";
    static final TestKeys KEYS = TestKeys.ed25519();
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    final GitHubApiStub github = new GitHubApiStub().accepting();

    @AfterEach
    void stop() {
        github.checkAndClose();
    }

    record Run(int exit, String stdout, String summary) {
    }

    private Run run(Map<String, String> given, Map<String, String> extraSecretFiles) throws Exception {
        Path workspace = dir.resolve("workspace");
        Path commands = Files.createDirectories(dir.resolve("file_commands"));
        TestFiles.copyTree(MachinePreparation.projectRoot().resolve("examples"), workspace.resolve("deploy"));
        for (var f : extraSecretFiles.entrySet()) {
            Files.writeString(workspace.resolve("deploy/secrets").resolve(f.getKey()), f.getValue());
        }
        Map<String, String> env = ActionModeTest.runnerEnvironment(dir, workspace, commands, github.apiUrl());
        Map<String, String> inputs = ActionModeTest.runnerDefaults();
        inputs.putAll(Map.of("host", "127.0.0.1:1", "ssh-key", KEYS.privateKeyOpenSsh(), "known-hosts", "[127.0.0.1]:1 "
                + KEYS.authorizedKeysLine() + "\n", "templates", "deploy/templates", "secrets", "deploy/secrets", "github-token", TOKEN,
                "connect-timeout", "5s"));
        inputs.putAll(given);
        inputs.forEach((k, v) -> env.put("INPUT_" + k.toUpperCase(), v));
        ActionCommand command = new ActionCommand();
        command.setEnvironmentForTests(env, Duration.ofMillis(5));
        StringWriter out = new StringWriter();
        int exit = new CommandLine(command).setOut(new PrintWriter(out, true)).setErr(new PrintWriter(out, true)).execute();
        LeakGuard.secret(TOKEN);
        String summary = TestFiles.readIfExists(commands.resolve("step_summary_1"));
        return new Run(exit, LeakGuard.scan("output", out.toString()), LeakGuard.scan("summary", summary));
    }

    @Test
    void twelveBrokenFilesGiveTenErrorAnnotationsTheLastPointingToTheJobSummaryWhichListsAll() throws Exception {
        Map<String, String> broken = new LinkedHashMap<>();
        for (int i = 1; i <= 12; i++) {
            broken.put("zz-broken-%02d.yaml".formatted(i), "broken%d:\n\tkey: sk-fake-broken-value-%d\n".formatted(i, i));
        }
        Run r = run(Map.of(), broken);
        assertEquals(ExitCodes.INVALID_INPUT, r.exit(), r.stdout());
        List<String> errors = r.stdout().lines().filter(l -> l.startsWith("::error")).toList();
        assertEquals(10, errors.size(), "GitHub keeps 10 error annotations per step: " + errors);
        assertTrue(errors.get(9).startsWith("::error::3 more errors") && errors.get(9).contains("job summary"), errors.get(9));
        for (int i = 1; i <= 12; i++) {
            assertTrue(r.summary().contains("zz-broken-%02d.yaml".formatted(i)), "the summary lists every error: " + i);
        }
    }

    @Test
    void aMultiLineJsonSecretIsMaskedLineByLineWithoutItsBracesAndNeverPrinted() throws Exception {
        String json = """
                {
                  "type": "service_account",
                  "private_key_id": "fake0123456789abcdef0123456789abcdef",
                  "client_email": "deployer@fake-project.iam.example.invalid",
                  "scopes": [
                    "x"
                  ]
                }
                """;
        String yaml = "vertex:\n  credentials: |\n" + json.lines().map(l -> "    " + l + "\n").reduce("", String::concat);
        LeakGuard.secretMultiLine(json);
        Run r = run(Map.of(), Map.of("zz-vertex.yaml", yaml));
        List<String> masks = r.stdout().lines().filter(l -> l.startsWith("::add-mask::")).map(l -> l.substring(12)).toList();
        for (String common : List.of("{", "}", "[", "]", "],", "\"x\"")) {
            assertFalse(masks.contains(common), "a mask of '" + common + "' would hide it everywhere in the job log");
        }
        for (String line : List.of("\"type\": \"service_account\",", "\"private_key_id\": \"fake0123456789abcdef0123456789abcdef\",",
                "\"client_email\": \"deployer@fake-project.iam.example.invalid\",")) {
            assertTrue(masks.contains(line), "masked: " + line);
        }
        String afterMasks = String.join("\n", r.stdout().lines().filter(l -> !l.startsWith("::add-mask::")).toList());
        String sent = String.join("\n", github.posts().stream().map(p -> p.getBodyAsString()).toList());
        for (String line : json.lines().map(String::strip).filter(l -> l.length() >= 8).toList()) {
            for (String where : List.of(afterMasks, r.summary(), sent)) {
                assertFalse(where.contains(line), "a line of the secret was printed");
            }
        }
        assertFalse(afterMasks.contains(json.strip()) || r.summary().contains(json.strip()));
    }

    @Test
    void aTokenWithATrailingNewlineStillRecordsTheDeploymentAndNeverEndsTheRun() throws Exception {
        Run r = run(Map.of("github-token", TOKEN + "\n"), Map.of());
        assertEquals(ExitCodes.CONNECTION, r.exit(), "the run ends at the closed port, not at the token: " + r.stdout());
        var posts = github.posts();
        assertEquals(3, posts.size(), r.stdout());
        assertTrue(posts.get(0).getHeader("Authorization").endsWith(" " + TOKEN), "trimmed");
        assertEquals("error", JSON.readTree(posts.get(2).getBodyAsString()).get("state").asText());
    }
}
