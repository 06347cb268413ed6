package dev.litellmdeploy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

import org.junit.jupiter.api.Test;

import picocli.CommandLine;

class LitellmDeployCommandTest {

    @Test
    void helpListsEverySubcommandAndTheExitCodes() {
        String usage = new CommandLine(new LitellmDeployCommand()).getUsageMessage(CommandLine.Help.Ansi.OFF);
        for (String sub : List.of("build", "validate", "plan", "deploy", "rollback", "status", "logs", "demo", "action")) {
            assertTrue(usage.matches("(?s).*\\n  " + sub + " +\\S.*"), sub + " missing from:\n" + usage);
        }
        assertTrue(usage.contains("Exit codes:"), usage);
    }

    @Test
    void versionNamesTheProjectVersion() {
        StringWriter out = new StringWriter();
        CommandLine cli = new CommandLine(new LitellmDeployCommand()).setOut(new PrintWriter(out));
        assertEquals(0, cli.execute("--version"));
        assertTrue(out.toString().matches("(?s)litellm-deploy \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?\\R.*"), out.toString());
    }

    @Test
    void unknownOptionIsAUsageErrorWithExitCode2() {
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new LitellmDeployCommand()).setErr(new PrintWriter(err));
        assertEquals(2, cli.execute("--no-such-option"));
        assertTrue(err.toString().contains("Unknown option: '--no-such-option'"), err.toString());
    }

    @Test
    void helperPrintsTheRestrictedScriptAndItsSudoersLine() {
        StringWriter out = new StringWriter();
        CommandLine cli = LitellmDeployCommand.configure(new CommandLine(new LitellmDeployCommand())).setOut(new PrintWriter(out));
        assertEquals(0, cli.execute("helper"));
        assertTrue(out.toString().startsWith("#!/bin/bash\n") && out.toString().contains("LD_RESTRICTED='1'")
                && out.toString().contains("main \"$@\""), out.toString().lines().limit(20).toList().toString());
        StringWriter sudoers = new StringWriter();
        CommandLine again = LitellmDeployCommand.configure(new CommandLine(new LitellmDeployCommand())).setOut(new PrintWriter(sudoers));
        assertEquals(0, again.execute("helper", "--sudoers", "deploy"));
        assertEquals("deploy ALL=(root) NOPASSWD: /usr/local/libexec/litellm-deploy-helper\n", sudoers.toString());
        StringWriter err = new StringWriter();
        CommandLine bad = LitellmDeployCommand.configure(new CommandLine(new LitellmDeployCommand())).setErr(new PrintWriter(err));
        assertEquals(2, bad.execute("helper", "--sudoers", "root;rm"));
    }
}
