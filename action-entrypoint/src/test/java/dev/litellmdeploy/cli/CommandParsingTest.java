package dev.litellmdeploy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.litellmdeploy.cli.action.ActionInputs;
import dev.litellmdeploy.deployer.HostTarget;
import picocli.CommandLine;

/** Parsing only: no network (CommandLine.populateCommand). */
class CommandParsingTest {

    @Test
    void deployTakesTheDocumentedShape() {
        DeployCommand d = CommandLine.populateCommand(new DeployCommand(), "--bundle", "out", "--host", "agent:2222,10.0.0.5", "--host", "[::1]",
                "--user", "deploy", "--key", "id", "--fingerprint", "SHA256:abc", "--ready-timeout", "90s", "--rolling");
        assertEquals(Path.of("out"), d.bundle);
        assertEquals(List.of(new HostTarget("agent", 2222), new HostTarget("10.0.0.5", 22), new HostTarget("::1", 22)), d.connection.targets());
        assertEquals("deploy", d.connection.user);
        assertEquals(List.of("SHA256:abc"), d.connection.fingerprints);
        assertEquals(Duration.ofSeconds(90), d.options.readyTimeout);
        assertTrue(d.options.settings().rolling());
    }

    @Test
    void buildNeedsTemplatesOrAConfigButNotBoth() {
        BuildCommand b = CommandLine.populateCommand(new BuildCommand(), "--templates", "t", "--secrets", "s", "--out", "o");
        assertEquals(Path.of("t"), b.source.templates.templates);
        assertEquals(Path.of("s"), b.source.templates.secrets);
        CommandLine.populateCommand(new BuildCommand(), "--config", "config.yaml");
        assertThrows(CommandLine.MutuallyExclusiveArgsException.class,
                () -> CommandLine.populateCommand(new BuildCommand(), "--config", "c.yaml", "--templates", "t"));
        assertThrows(CommandLine.MissingParameterException.class, () -> CommandLine.populateCommand(new BuildCommand()));
    }

    @Test
    void aBadDurationOrPortIsAUsageErrorWithAHintNotAStackTrace() {
        StringWriter err = new StringWriter();
        int code = new CommandLine(new LitellmDeployCommand()).setErr(new PrintWriter(err))
                .execute("deploy", "--host", "a", "--key", "k", "--ready-timeout", "soon");
        assertEquals(ExitCodes.USAGE, code);
        assertTrue(err.toString().contains("'soon' is not a duration (examples: 30s, 5m, 1h)"), err.toString());
        assertTrue(!err.toString().contains("\tat "), "no stack trace");
    }

    @Test
    void actionInputsKeepTheRunnersHyphenAndAcceptTheUnderscoreForm() {
        ActionInputs hyphen = new ActionInputs(Map.of("INPUT_SSH-KEY", "k1", "INPUT_DRY-RUN", "true", "INPUT_HOSTS", "a:22\nb, c"));
        assertEquals("k1", hyphen.get("ssh-key"));
        assertTrue(hyphen.flag("dry-run"));
        assertEquals(List.of("a:22", "b", "c"), hyphen.list("hosts"));
        ActionInputs underscore = new ActionInputs(Map.of("INPUT_SSH_KEY", "k2"));
        assertEquals("k2", underscore.get("ssh-key"));
        assertThrows(IllegalArgumentException.class, () -> new ActionInputs(Map.of("INPUT_DRY-RUN", "maybe")).flag("dry-run"));
    }

    @Test
    void errorsInsideACommandBecomeOneMessageAndTheirExitCode() {
        StringWriter err = new StringWriter();
        CommandLine cli = LitellmDeployCommand.configure(new CommandLine(new LitellmDeployCommand())).setErr(new PrintWriter(err));
        assertEquals(ExitCodes.USAGE, cli.execute("deploy", "--host", "bad host;x", "--key", "pom.xml"));
        assertTrue(err.toString().contains("is not a host name or address") && err.toString().contains("hint: see `litellm-deploy deploy --help`"),
                err.toString());
        StringWriter err2 = new StringWriter();
        CommandLine cli2 = LitellmDeployCommand.configure(new CommandLine(new LitellmDeployCommand())).setErr(new PrintWriter(err2));
        assertEquals(ExitCodes.INVALID_INPUT, cli2.execute("deploy", "--bundle", "no-such-bundle", "--host", "a", "--key", "pom.xml"));
        assertTrue(err2.toString().contains("is not a bundle (no manifest.json)"), err2.toString());
        assertTrue(!err2.toString().contains("\tat "), "no stack trace");
    }

    @Test
    void aProjectFileInTheTemplatesDirectorySuppliesDefaultsAndTheCommandLineWins(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        java.nio.file.Files.writeString(dir.resolve("litellm-deploy.yaml"), "host: [agent.example.invalid, edge.example.invalid:2200]\n"
                + "user: deploy\nready-timeout: 3m\nrolling: true\n");
        ProjectFileDefaults project = ProjectFileDefaults.find(new String[] {"deploy", "--templates", dir.toString()});
        DeployCommand d = new DeployCommand();
        new CommandLine(d).setDefaultValueProvider(project).parseArgs("--key", "k", "--user", "admin");
        assertEquals(List.of(new HostTarget("agent.example.invalid", 22), new HostTarget("edge.example.invalid", 2200)), d.connection.targets());
        assertEquals("admin", d.connection.user, "the command line wins");
        assertEquals(Duration.ofMinutes(3), d.options.readyTimeout);
        assertTrue(d.options.rolling);
    }

    @Test
    void anEnvironmentVariableWinsOverTheProjectFileAndTheTablesDefaultComesLast(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        java.nio.file.Files.writeString(dir.resolve("litellm-deploy.yaml"), "user: deploy\nport: 2200\n");
        ProjectFileDefaults project = ProjectFileDefaults.find(new String[] {"deploy", "--templates", dir.toString()},
                Map.of("LITELLM_DEPLOY_USER", "from-env", "LITELLM_DEPLOY_KEY_FILE", "env-key"));
        DeployCommand d = new DeployCommand();
        new CommandLine(d).setDefaultValueProvider(project).parseArgs("--host", "a");
        assertEquals("from-env", d.connection.user, "the variable wins over the file");
        assertEquals(Path.of("env-key"), d.connection.key);
        assertEquals(2200, d.connection.port, "the file wins over the built-in default");
        assertEquals(Duration.ofMinutes(10), d.options.readyTimeout, "the table's default when neither says");
    }
}
