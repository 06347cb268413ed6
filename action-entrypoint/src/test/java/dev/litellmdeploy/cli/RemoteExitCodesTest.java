package dev.litellmdeploy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import dev.litellmdeploy.testsupport.MachinePreparation;
import dev.litellmdeploy.testsupport.TestHost;
import picocli.CommandLine;

/**
 * The exit codes of the remote commands where the CLI decides them (README's list): a user whose
 * sudo wants a password, or who has no sudo at all, is a connection problem (4) for every command;
 * a rollback on a host where nothing was ever deployed says so.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RemoteExitCodesTest {
    private static final String NO_SUDO_USER = "nosudo";
    private static final List<String> REMOTE_COMMANDS = List.of("plan", "deploy", "rollback", "status", "logs");

    @RegisterExtension
    static final TestHost host = new TestHost();

    @TempDir
    static Path work;

    static Path bundle;

    @BeforeAll
    static void aBundleAndAUserWithoutSudo() throws Exception {
        Files.writeString(work.resolve("key"), host.keys().privateKeyOpenSsh());
        Files.writeString(work.resolve("known_hosts"), host.knownHostsLine() + "\n");
        bundle = work.resolve("bundle");
        Path examples = MachinePreparation.projectRoot().resolve("examples");
        Result build = cli("build", "--unlocked", "--templates", examples.resolve("templates").toString(), "--secrets", examples.resolve("secrets").toString(),
                "--out", bundle.toString());
        assertEquals(0, build.exit, build.output);
        host.exec("useradd --create-home --shell /bin/bash " + NO_SUDO_USER + " && install -d -m 0700 -o " + NO_SUDO_USER + " -g " + NO_SUDO_USER
                + " /home/" + NO_SUDO_USER + "/.ssh && install -m 0600 -o " + NO_SUDO_USER + " -g " + NO_SUDO_USER
                + " /root/.ssh/authorized_keys /home/" + NO_SUDO_USER + "/.ssh/authorized_keys");
    }

    @Test
    @Order(1)
    void rollbackOnAHostWhereNothingWasEverDeployedSaysSo() {
        Result r = remote("rollback", TestHost.ROOT);
        assertEquals(ExitCodes.ROLLED_BACK, r.exit, r.output);
        assertTrue(r.output.contains("nothing is deployed on " + host.host() + ":" + host.sshPort()), r.output);
        assertFalse(r.output.contains("null"), r.output);
        assertEquals("", host.exec("ls /var/lib/litellm-deploy/releases 2>/dev/null || true").strip(), "rollback created no release");
    }

    @Test
    @Order(2)
    void everyRemoteCommandExits4WhenSudoWantsAPassword() {
        for (String command : REMOTE_COMMANDS) {
            Result r = remote(command, TestHost.PASSWORD_SUDO_USER);
            assertEquals(ExitCodes.CONNECTION, r.exit, command + ": " + r.output);
            assertTrue(r.output.contains("asks for a password"), command + ": " + r.output);
        }
    }

    @Test
    @Order(3)
    void everyRemoteCommandExits4WhenTheUserHasNoSudo() {
        for (String command : REMOTE_COMMANDS) {
            Result r = remote(command, NO_SUDO_USER);
            assertEquals(ExitCodes.CONNECTION, r.exit, command + ": " + r.output);
            assertTrue(r.output.contains("may not use sudo"), command + ": " + r.output);
        }
    }

    private static Result remote(String command, String user) {
        List<String> argv = new ArrayList<>(List.of(command, "--host", host.host() + ":" + host.sshPort(), "--user", user,
                "--key", work.resolve("key").toString(), "--known-hosts", work.resolve("known_hosts").toString()));
        if (List.of("plan", "deploy").contains(command)) {
            argv.addAll(List.of("--bundle", bundle.toString(), "--ready-timeout", "20s"));
        }
        return cli(argv.toArray(String[]::new));
    }

    record Result(int exit, String output) {
    }

    private static Result cli(String... argv) {
        StringWriter out = new StringWriter();
        CommandLine cli = LitellmDeployCommand.configure(new CommandLine(new LitellmDeployCommand()));
        cli.setOut(new PrintWriter(out, true)).setErr(new PrintWriter(out, true));
        int exit = cli.execute(argv);
        return new Result(exit, out.toString());
    }
}
