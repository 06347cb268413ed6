package dev.litellmdeploy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import dev.litellmdeploy.cli.action.ActionModeTest;
import dev.litellmdeploy.testsupport.LeakGuard;
import dev.litellmdeploy.testsupport.MachinePreparation;
import dev.litellmdeploy.testsupport.TestFiles;
import dev.litellmdeploy.testsupport.TestHost;
import picocli.CommandLine;

/**
 * The drift check through the CLI ({@code status --check}, exit 8) and the action ({@code command: status-check}, what
 * examples/drift-check.yml runs), on a real host: a clean host passes, another release than expected fails, a hand edit
 * and a drop-in fail with the drift named in the output and the job summary (never the edited line), {@code plan} lists the
 * drift, and {@code deploy} repairs it so the check passes again.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DriftCheckTest {
    @RegisterExtension
    static final TestHost host = new TestHost();

    @TempDir
    static Path work;

    static final String EDIT = "hand_edit_marker_1234";
    static Path bundle;
    static String bundleId;

    record Result(int exit, String output) {
    }

    @BeforeAll
    static void aBundleBuiltFromTheSameCommitAsTheAction() throws Exception {
        Files.writeString(work.resolve("key"), host.keys().privateKeyOpenSsh());
        Files.writeString(work.resolve("known_hosts"), host.knownHostsLine() + "\n");
        bundle = work.resolve("bundle");
        Path examples = MachinePreparation.projectRoot().resolve("examples");
        Result build = cli("build", "--unlocked", "--templates", examples.resolve("templates").toString(), "--secrets", examples.resolve("secrets").toString(),
                "--out", bundle.toString(), "--revision", ActionModeTest.SHA);
        assertEquals(0, build.exit, build.output);
        bundleId = new com.fasterxml.jackson.databind.ObjectMapper().readTree(bundle.resolve("manifest.json").toFile()).get("bundle_id").asText();
    }

    static Result cli(String... argv) {
        StringWriter out = new StringWriter();
        CommandLine cli = LitellmDeployCommand.configure(new CommandLine(new LitellmDeployCommand()));
        cli.setOut(new PrintWriter(out, true)).setErr(new PrintWriter(out, true));
        int exit = cli.execute(argv);
        return new Result(exit, LeakGuard.scan("output of " + String.join(" ", argv), out.toString()));
    }

    static Result remote(String command, String... more) {
        List<String> argv = new ArrayList<>(List.of(command, "--host", host.host() + ":" + host.sshPort(), "--key", work.resolve("key").toString(),
                "--known-hosts", work.resolve("known_hosts").toString()));
        if (List.of("plan", "deploy").contains(command)) {
            argv.addAll(List.of("--bundle", bundle.toString(), "--ready-timeout", "30s"));
        }
        argv.addAll(List.of(more));
        return cli(argv.toArray(String[]::new));
    }

    record Action(int exit, String stdout, String outputs, String summary) {
    }

    static Action action(String name) throws Exception {
        return action(name, "status-check");
    }

    static Action action(String name, String commandInput) throws Exception {
        Path workspace = work.resolve(name + "/workspace");
        Path commands = Files.createDirectories(work.resolve(name + "/file_commands"));
        TestFiles.copyTree(MachinePreparation.projectRoot().resolve("examples"), workspace.resolve("deploy"));
        Map<String, String> env = ActionModeTest.runnerEnvironment(work.resolve(name), workspace, commands, "http://127.0.0.1:9");
        Map<String, String> inputs = ActionModeTest.runnerDefaults();
        inputs.putAll(Map.of("command", commandInput, "host", host.host() + ":" + host.sshPort(), "ssh-key", host.keys().privateKeyOpenSsh(),
                "known-hosts", host.knownHostsLine() + "\n", "templates", "deploy/templates", "secrets", "deploy/secrets"));
        inputs.forEach((k, v) -> env.put("INPUT_" + k.toUpperCase(), v));
        ActionCommand command = new ActionCommand();
        command.setEnvironmentForTests(env, Duration.ofMillis(10));
        StringWriter out = new StringWriter();
        int exit = new CommandLine(command).setOut(new PrintWriter(out, true)).setErr(new PrintWriter(out, true)).execute();
        return new Action(exit, LeakGuard.scan("stdout of " + name, out.toString()),
                LeakGuard.scan("outputs of " + name, TestFiles.readIfExists(commands.resolve("set_output_1"))),
                LeakGuard.scan("summary of " + name, TestFiles.readIfExists(commands.resolve("step_summary_1"))));
    }

    @Test
    @Order(1)
    void aCleanHostPassesTheCheckAndAnotherExpectedReleaseFailsIt() {
        Result deploy = remote("deploy");
        assertEquals(0, deploy.exit, deploy.output);
        Result check = remote("status", "--check");
        assertEquals(ExitCodes.OK, check.exit, check.output);
        assertTrue(check.output.contains("drift:    none") && check.output.contains(": ok"), check.output);
        assertEquals(ExitCodes.OK, remote("status", "--check", "--expect-release", bundleId).exit);
        Result other = remote("status", "--check", "--expect-release", "20000101T000000Z-000000000000");
        assertEquals(ExitCodes.CHECK_FAILED, other.exit, other.output);
        assertTrue(other.output.contains("expected 20000101T000000Z-000000000000"), other.output);
    }

    @Test
    @Order(2)
    void aHandEditAndADropInFailTheCheckAndThePlanNamesThemWithoutTheirLines() {
        host.exec("printf '# " + EDIT + "\\n' >> /etc/litellm/config.yaml && mkdir -p /etc/systemd/system/litellm.service.d"
                + " && printf '[Service]\\nEnvironment=" + EDIT + "=1\\n' > /etc/systemd/system/litellm.service.d/override.conf && systemctl daemon-reload");
        Result status = remote("status");
        assertEquals(ExitCodes.OK, status.exit, "status without --check reports, it does not fail: " + status.output);
        assertTrue(status.output.contains("DRIFT") && status.output.contains("config.yaml edited on the server (1 line: +1 -0)")
                && status.output.contains("drop-in /etc/systemd/system/litellm.service.d/override.conf"), status.output);
        Result json = remote("status", "--json");
        assertTrue(json.output.contains("\"drift\"") && json.output.contains("\"DROP_IN\""), json.output);
        Result check = remote("status", "--check");
        assertEquals(ExitCodes.CHECK_FAILED, check.exit, check.output);
        assertTrue(check.output.contains("drifted from its recorded release"), check.output);
        Result plan = remote("plan");
        assertEquals(0, plan.exit, plan.output);
        assertTrue(plan.output.contains("drift: config.yaml edited on the server (1 line: +1 -0)"), plan.output);
        assertTrue(plan.output.contains("repair-drift"), plan.output);
        assertFalse(plan.output.contains("only secret values changed"), "a non-secret line was edited: " + plan.output);
        for (String out : List.of(status.output, json.output, check.output, plan.output)) {
            assertFalse(out.contains(EDIT), "no line of an installed file is shown: " + out);
        }
    }

    @Test
    @Order(3)
    void theActionsStatusCheckFailsWithTheDriftInTheJobSummary() throws Exception {
        Action a = action("drifted");
        assertEquals(ExitCodes.CHECK_FAILED, a.exit, a.stdout);
        assertTrue(a.summary.contains("LiteLLM drift check: FAILED") && a.summary.contains("config.yaml edited on the server (1 line: +1 -0)")
                && a.summary.contains("override.conf"), a.summary);
        assertTrue(a.outputs.contains("drifted=true"), a.outputs);
        assertTrue(a.stdout.contains("::error::"), a.stdout);
        assertFalse(a.summary.contains(EDIT) || a.stdout.contains(EDIT), a.summary);
    }

    @Test
    @Order(4)
    void aDeployRepairsTheDriftAndSaysSoThenBothChecksPass() throws Exception {
        Result deploy = remote("deploy");
        assertEquals(0, deploy.exit, deploy.output);
        assertTrue(deploy.output.contains("repairs drift (config.yaml edited, drop-in override.conf moved aside)"), deploy.output);
        Result check = remote("status", "--check", "--expect-release", bundleId);
        assertEquals(ExitCodes.OK, check.exit, check.output);
        Action a = action("repaired");
        assertEquals(ExitCodes.OK, a.exit, a.stdout);
        assertTrue(a.summary.contains("LiteLLM drift check: ok"), a.summary);
        assertTrue(a.outputs.contains("drifted=false"), a.outputs);
    }

    @Test
    @Order(5)
    void anActionDeployRepairsDriftAndItsJobSummarySaysWhat() throws Exception {
        host.exec("chmod 0644 /etc/litellm/config.yaml");
        Action a = action("deploy", "deploy");
        assertEquals(ExitCodes.OK, a.exit, a.stdout);
        assertTrue(a.summary.contains("**Drift on `") && a.summary.contains("repaired by this deploy")
                && a.summary.contains("config.yaml has mode and owner 644 root litellm"), a.summary);
        assertTrue(a.summary.contains("repair-drift"), "the step is in the summary's steps: " + a.summary);
        assertEquals("640", host.exec("stat -c %a /etc/litellm/config.yaml").strip());
    }
}
