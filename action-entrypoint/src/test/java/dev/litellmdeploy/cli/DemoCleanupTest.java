package dev.litellmdeploy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.litellmdeploy.testsupport.MachinePreparation;
import picocli.CommandLine;

/**
 * `demo` removes everything it created when it ends: the container and the directory holding the
 * bundle (config.yaml with the example's secrets) and the SSH key; also when it is sent SIGTERM
 * (Ctrl-C's path through the shutdown hook). `--keep` says exactly what it left and how to remove
 * it, and that command removes it all. The paths are read from what the demo prints.
 */
class DemoCleanupTest {
    private static final Pattern WORK_DIR = Pattern.compile("examples/secrets -> (\\S+)/bundle");
    private static final Pattern CONTAINER = Pattern.compile("container (litellm-deploy-demo-[0-9a-f]{8})");

    @BeforeAll
    static void dockerAnswers() throws Exception {
        MachinePreparation.ensureReady();
    }

    @Test
    void demoRemovesItsHostItsSecretsAndItsKeyWhenItEnds() throws Exception {
        String out = demo();
        Path work = found(WORK_DIR, out);
        String container = found(CONTAINER, out).toString();
        assertFalse(Files.exists(work), "the demo left " + work + ":\n" + out);
        assertFalse(Files.exists(Path.of("/tmp").resolve(work.getFileName())));
        assertFalse(containerExists(container), "the demo left the container " + container);
        assertTrue(out.contains("Removed the demo host " + container + " and " + work), out);
    }

    @Test
    void demoSentSigtermStillRemovesItsHostAndItsFiles(@TempDir Path cache) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), LitellmDeployCommand.class.getName(), "demo")
                .directory(MachinePreparation.projectRoot().toFile()).redirectErrorStream(true);
        pb.environment().put("XDG_CACHE_HOME", cache.toString());
        pb.environment().put("NO_COLOR", "1");
        Process demo = pb.start();
        StringBuilder out = new StringBuilder();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(demo.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                out.append(line).append('\n');
                if (line.contains("3. Deploy")) {
                    demo.destroy(); // SIGTERM, what `kill PID` and a closing terminal send
                    break;
                }
            }
            Thread drain = new Thread(() -> lines.lines().forEach(l -> out.append(l).append('\n')));
            drain.start();
            assertTrue(demo.waitFor(2, TimeUnit.MINUTES), "the demo did not end after SIGTERM:\n" + out);
            drain.join(10_000);
        } finally {
            demo.destroyForcibly();
        }
        Path work = found(WORK_DIR, out.toString());
        String container = found(CONTAINER, out.toString()).toString();
        assertFalse(Files.exists(work), "after SIGTERM the demo left " + work + ":\n" + out);
        assertFalse(containerExists(container), "after SIGTERM the demo left the container " + container);
        try (var left = Files.list(cache.resolve("litellm-deploy/demo"))) {
            assertEquals(List.of(), left.toList());
        }
    }

    @Test
    void keepSaysWhatItLeftAndTheCommandItPrintsRemovesIt() throws Exception {
        String out = demo("--keep");
        Path work = found(WORK_DIR, out);
        String container = found(CONTAINER, out).toString();
        try {
            assertTrue(Files.exists(work.resolve("id_ed25519")) && Files.exists(work.resolve("bundle/config.yaml")), out);
            assertTrue(containerExists(container));
            Matcher remove = Pattern.compile("Remove all of it with:\\n\\s+(docker rm -f \\S+ && rm -rf \\S+)\\n").matcher(out);
            assertTrue(remove.find(), out);
            assertEquals("docker rm -f " + container + " && rm -rf " + work, remove.group(1));
            assertEquals(0, new ProcessBuilder("bash", "-c", remove.group(1)).inheritIO().start().waitFor());
            assertFalse(Files.exists(work));
            assertFalse(containerExists(container));
        } finally {
            new ProcessBuilder("docker", "rm", "-f", container).start().waitFor();
            dev.litellmdeploy.testsupport.TestFiles.deleteTree(work);
        }
    }

    private static String demo(String... options) {
        StringWriter out = new StringWriter();
        CommandLine cli = LitellmDeployCommand.configure(new CommandLine(new LitellmDeployCommand()));
        cli.setOut(new PrintWriter(out, true)).setErr(new PrintWriter(out, true));
        String[] argv = new String[options.length + 1];
        argv[0] = "demo";
        System.arraycopy(options, 0, argv, 1, options.length);
        int exit = cli.execute(argv);
        assertEquals(0, exit, out.toString());
        return out.toString();
    }

    private static Path found(Pattern p, String out) {
        Matcher m = p.matcher(out);
        assertTrue(m.find(), "no " + p + " in:\n" + out);
        return Path.of(m.group(1));
    }

    private static boolean containerExists(String name) throws Exception {
        Process p = new ProcessBuilder("docker", "ps", "-a", "-q", "--filter", "name=^" + name + "$").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        p.waitFor();
        return !out.isEmpty();
    }
}
