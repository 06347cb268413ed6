package dev.litellmdeploy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.litellmdeploy.cli.action.WorkflowCommands;
import dev.litellmdeploy.deployer.DeployResult;
import dev.litellmdeploy.deployer.DeploymentPlan;
import dev.litellmdeploy.deployer.HostResult;
import dev.litellmdeploy.deployer.HostTarget;
import dev.litellmdeploy.deployer.StepTiming;
import picocli.CommandLine;

/**
 * Values from a config, a bundle or a server are printed with their control characters escaped:
 * a model name cannot start a workflow command in the Actions log or drive the terminal.
 */
class ControlCharactersTest {
    @TempDir
    Path dir;

    /** A model name as a bundle made elsewhere could carry it: a workflow command after a newline, a terminal escape, a lone CR. */
    static final String EVIL = "muffin\n::warning::injected\u001b[2J\u001b]0;title\u0007\rfake\u202Egnp.exe";
    static final Pattern RAW_CONTROL = Pattern.compile("[\\p{Cc}\\u2028\\u2029\\u202A-\\u202E\\u2066-\\u2069&&[^\\n]]");
    static final Pattern COMMAND_LINE = Pattern.compile("(?m)^\\s*::(warning|error|add-mask|stop-commands)");

    static void assertPrintable(String output) {
        assertFalse(RAW_CONTROL.matcher(output).find(), "a raw control character in:\n" + output.replace("\u001b", "<ESC>"));
        assertFalse(COMMAND_LINE.matcher(output).find(), "a line the runner reads as a workflow command in:\n" + output);
    }

    private static Console console(StringWriter sink) {
        PrintWriter w = new PrintWriter(sink, true);
        return new Console(w, w);
    }

    @Test
    void aPlanWithHostileValuesIsPrintedEscaped() {
        StringWriter out = new StringWriter();
        DeploymentPlan plan = new DeploymentPlan(new HostTarget("h.example.invalid", 22), "r-" + EVIL, EVIL, List.of("config.yaml", EVIL),
                false, false, true, EVIL, List.of(new dev.litellmdeploy.deployer.steps.Prepare.Upload("r-" + EVIL)), "--- a\n+++ b\n+  - model_name: " + EVIL + "\n", null);
        PlanPrinter.print(console(out), plan);
        assertPrintable(out.toString());
        assertTrue(out.toString().contains("muffin\\n::warning::injected\\u001b[2J"), out.toString());
    }

    @Test
    void stepDetailsProgressAndResultsWithHostileValuesArePrintedEscaped() throws Exception {
        StringWriter out = new StringWriter();
        Console console = console(out);
        ConsoleListener listener = new ConsoleListener(console.err(), p -> { });
        HostTarget host = new HostTarget("h.example.invalid", 22);
        listener.stepFinished(host, "verify-models", Duration.ofMillis(5), "serving " + EVIL);
        listener.progress(host, "wait-ready", "still waiting for " + EVIL);
        HostResult failed = new HostResult(host, HostResult.Outcome.FAILED_ROLLED_BACK, null, null,
                List.of(new StepTiming("verify-models", Duration.ZERO, EVIL)), "expected models missing: " + EVIL
                        + "\nLast lines of the service's journal (secrets redacted):\n  ::error::from the journal\u001b[31m");
        Results.print(console, new DeployResult(List.of(failed)), false);
        Results.print(console, new DeployResult(List.of(failed)), true);
        assertPrintable(out.toString());
        assertTrue(out.toString().contains("Last lines of the service's journal"), "the message keeps its own lines:\n" + out);
    }

    @Test
    void workflowCommandsCarryNoRawControlCharacter() {
        StringWriter out = new StringWriter();
        WorkflowCommands commands = new WorkflowCommands(new PrintWriter(out, true));
        commands.error("templates/models/10-a.yaml.mustache", 3, "deploy failed: " + EVIL);
        commands.warning("deploy failed: " + EVIL);
        assertFalse(RAW_CONTROL.matcher(out.toString()).find(), "a raw control character in:\n" + out.toString().replace("\u001b", "<ESC>"));
        assertEquals(2, out.toString().lines().count(), "one line per command:\n" + out);
    }

    @Test
    void buildOfAPrebuiltConfigWithAHostileModelNameFailsAtItsLineAndPrintsNothingRaw() throws Exception {
        Path config = dir.resolve("config.yaml");
        Files.writeString(config, "model_list:\n  - model_name: \"muffin\\n::warning::injected\\e[2J\"\n    litellm_params: {model: openai/muffin}\n"
                + "litellm_settings:\n  fallbacks: [{\"x\\n::error::y\\e]0;t\\a\": [muffin]}]\n"
                + "general_settings: {master_key: sk-fake-master-0000000000}\n");
        StringWriter out = new StringWriter();
        CommandLine cli = LitellmDeployCommand.configure(new CommandLine(new LitellmDeployCommand()));
        cli.setOut(new PrintWriter(out, true)).setErr(new PrintWriter(out, true));
        int exit = cli.execute("build", "--unlocked", "--config", config.toString(), "--out", dir.resolve("bundle").toString());
        assertEquals(ExitCodes.INVALID_INPUT, exit, out.toString());
        assertTrue(out.toString().contains("config.yaml:2") && out.toString().contains("[control-character]"), out.toString());
        assertPrintable(out.toString());
    }
}
