package dev.litellmdeploy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import dev.litellmdeploy.testsupport.MachinePreparation;
import dev.litellmdeploy.testsupport.RealLiteLlm;
import dev.litellmdeploy.testsupport.TestHost;

/**
 * Every `./litellm-deploy ...` command in the README runs, in order, as written - with the
 * example host, key and secrets paths pointed at a test host and the example (`./mvnw verify`
 * is what .ci/run runs). Two substitutions, because tests reach nothing but loopback and their
 * containers: {@code lock} resolves with the real uv from the prepared wheelhouse ({@code --uv},
 * {@code --find-links}; tools/prepare-wheelhouse) instead of PyPI, and the bundle is built
 * {@code --unlocked}, because this test host runs the uv stand-in, which cannot build a locked
 * environment (RealLiteLlmLockTest deploys locked bundles with the real uv and LiteLLM).
 */
class ReadmeCommandsTest {
    private static final Path ROOT = MachinePreparation.projectRoot();

    @RegisterExtension
    static final TestHost host = new TestHost();

    @TempDir
    Path dir;

    static List<String> readmeCommands() throws Exception {
        List<String> out = new ArrayList<>();
        StringBuilder current = null;
        for (String line : Files.readAllLines(ROOT.resolve("README.md"))) {
            if (current == null && line.matches("^ {4}\\./litellm-deploy .*")) {
                current = new StringBuilder(line.strip());
            } else if (current != null) {
                current.append(' ').append(line.strip());
            }
            if (current != null && !current.toString().endsWith("\\")) {
                out.add(current.toString().replaceAll("\\s+#.*$", "").strip());
                current = null;
            } else if (current != null) {
                current.setLength(current.length() - 1);
            }
        }
        return out;
    }

    @Test
    void everyReadmeCommandRunsAsWritten() throws Exception {
        List<String> commands = readmeCommands();
        assertTrue(commands.size() >= 5, commands.toString());
        Path key = Files.writeString(dir.resolve("deploy_ed25519"), host.keys().privateKeyOpenSsh());
        Path known = Files.writeString(dir.resolve("known_hosts"), host.knownHostsLine() + "\n");
        Path bundle = dir.resolve("bundle");
        RealLiteLlm litellm = RealLiteLlm.prepare(RealLiteLlm.SEED_VERSION);
        String offlineLock = " --uv " + litellm.uvArchive().getParent().resolve("bin/uv") + " --find-links " + litellm.wheelhouse()
                + " --lock " + dir.resolve("requirements.lock");
        for (String command : commands) {
            if (command.startsWith("./litellm-deploy lock ")) {
                command = command + offlineLock;
            }
            command = command.replace("--lock requirements.lock", "--unlocked");
            String cmd = command.replace("agent.example.com", host.host() + ":" + host.sshPort())
                    .replace("~/.ssh/deploy_ed25519", key.toString()).replace("~/.ssh/known_hosts", known.toString())
                    .replace("../my-secrets", ROOT.resolve("examples/secrets").toString())
                    .replace("examples/templates", ROOT.resolve("examples/templates").toString())
                    .replace("--out bundle", "--out " + bundle).replace("--bundle bundle", "--bundle " + bundle);
            List<String> args = new ArrayList<>();
            Matcher m = Pattern.compile("\\S+").matcher(cmd.substring("./litellm-deploy".length()));
            while (m.find()) {
                args.add(m.group());
            }
            assertEquals(0, LitellmDeployCommand.execute(args.toArray(String[]::new)), "README command failed: " + command);
        }
        assertEquals("active", host.exec("systemctl is-active litellm").strip(), "the README's deploy left the proxy running");
    }
}
