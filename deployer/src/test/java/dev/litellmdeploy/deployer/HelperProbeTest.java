package dev.litellmdeploy.deployer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.sun.net.httpserver.HttpServer;

import dev.litellmdeploy.deployer.remote.ExecResult;
import dev.litellmdeploy.deployer.remote.Helper;

/**
 * The helper's {@code probe} (helper-probe.sh), run with bash alone against a loopback HTTP server of the test: what it
 * reads from LiteLLM's free endpoints, that the master key reaches the server only in the Authorization header and never a
 * process's command line or environment, that it refuses a key on a command line, and that it stops polling when systemd
 * says the unit failed. The reply is parsed by the deployer's own {@link Helper#probed}.
 */
class HelperProbeTest {
    private static final String KEY = "sk-fake-probe-0123456789";
    @TempDir
    static Path work;
    static Path functions;
    private HttpServer server;
    private final List<String> authorizations = new CopyOnWriteArrayList<>();
    private final List<String> keyFoundIn = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void render() throws Exception {
        functions = HelperRequestsTest.functionsIn(work);
    }

    /** A loopback port nothing listens on (a proxy that is down). */
    private static int freePort() throws IOException {
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return free.getLocalPort();
        }
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    /** LiteLLM's answers: readiness 200, /v1/models with the key two models, without it 401; every process scanned for the key meanwhile. */
    private int liteLlm() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", ex -> {
            String auth = ex.getRequestHeaders().getFirst("Authorization");
            String path = ex.getRequestURI().getPath();
            if (path.equals("/v1/models")) {
                authorizations.add(auth == null ? "" : auth);
                keyFoundIn.addAll(processesHolding(KEY));
            }
            boolean ok = !path.equals("/v1/models") || ("Bearer " + KEY).equals(auth);
            byte[] body = (!ok ? "{\"error\":{\"message\":\"Authentication Error\"}}"
                    : path.equals("/v1/models") ? "{\"object\":\"list\",\"data\":[{\"id\":\"gpt-fake\"},{\"id\":\"claude-fake\"}]}"
                    : "{\"status\":\"healthy\"}").getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(ok ? 200 : 401, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        server.start();
        return server.getAddress().getPort();
    }

    /** The pids whose command line or environment holds the text (what `ps e` would show). */
    private static List<String> processesHolding(String text) {
        List<String> found = new java.util.ArrayList<>();
        try (var procs = Files.list(Path.of("/proc"))) {
            for (Path p : procs.filter(p -> p.getFileName().toString().matches("[0-9]+")).toList()) {
                for (String f : List.of("cmdline", "environ")) {
                    try {
                        if (new String(Files.readAllBytes(p.resolve(f)), StandardCharsets.ISO_8859_1).contains(text)) {
                            found.add(p.getFileName() + "/" + f);
                        }
                    } catch (IOException gone) {
                        // ended meanwhile, or not ours to read
                    }
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        found.remove(ProcessHandle.current().pid() + "/cmdline");
        return found;
    }

    /** Runs the helper's functions with a stand-in systemctl, then the script; its exit status, stdout and stderr. */
    private static ExecResult bash(String systemctlSays, String script) throws Exception {
        String all = "source \"$1\"\nsystemctl() { printf '" + systemctlSays + "'; }\n" + script;
        Process p = new ProcessBuilder("bash", "-c", all, "probe-test", functions.toString()).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        return new ExecResult(p.exitValue(), out, err);
    }

    private static final String RUNNING = "ActiveState=active\\nSubState=running\\nNRestarts=0\\nMainPID=42\\n";

    @Test
    void aReadyProxyIsAnsweredWithItsModelsReadWithTheKeyAndWithout() throws Exception {
        int port = liteLlm();
        // as serve_requests runs it: the key is an argument of a shell function, in this process's memory only
        ExecResult r = bash(RUNNING, "LD_SERVING=1\nkey=$(printf '%s' " + java.util.Base64.getEncoder().encodeToString(KEY.getBytes())
                + " | base64 -d)\ncmd_probe " + port + " 0 - - \"$key\"");
        assertEquals(0, r.exitStatus(), r.stderr());
        Helper.Probed p = Helper.probed(r);
        assertTrue(p.isReady(), r.stdout());
        assertEquals(200, p.models());
        assertEquals(401, p.open(), "the second request goes without the key");
        assertEquals(List.of("gpt-fake", "claude-fake"), dev.litellmdeploy.deployer.probe.Readiness.modelIds(p.models(), p.modelsBody(), p.modelsCut()));
        assertEquals(List.of(), keyFoundIn, "no process had the key on its command line or in its environment while the helper asked");
        assertEquals(List.of("Bearer " + KEY, ""), authorizations);
    }

    @Test
    void aKeyOnTheCommandLineIsRefused() throws Exception {
        int port = liteLlm();
        ExecResult r = bash(RUNNING, "cmd_probe " + port + " 0 - - " + KEY);
        assertEquals(2, r.exitStatus(), r.stdout());
        assertTrue(r.stderr().contains("only on the lock's channel"), r.stderr());
        assertEquals(List.of(), authorizations, "nothing was asked");
    }

    @Test
    void nothingListeningIsNoAnswerWithSystemdsView() throws Exception {
        int port = freePort();
        long start = System.nanoTime();
        ExecResult r = bash(RUNNING, "cmd_probe " + port + " 700 - 0");
        long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        Helper.Probed p = Helper.probed(r);
        assertEquals(0, p.ready(), r.stdout() + r.stderr());
        assertEquals(0, p.live());
        assertFalse(p.stopped());
        assertEquals(new Helper.ServiceState("active", "running", 0, "42"), p.state());
        assertTrue(took >= 700, "it polled for the wait it was given: " + took + " ms");
    }

    @Test
    void aFailedUnitOrOneSystemdRestartedEndsThePollingEarly() throws Exception {
        int port = freePort();
        long start = System.nanoTime();
        Helper.Probed failed = Helper.probed(bash("ActiveState=failed\\nSubState=failed\\nNRestarts=0\\nMainPID=0\\n", "cmd_probe " + port + " 20000 - 0"));
        Helper.Probed looping = Helper.probed(bash("ActiveState=active\\nSubState=running\\nNRestarts=3\\nMainPID=7\\n", "cmd_probe " + port + " 20000 - 2"));
        assertTrue(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start) < 15, "both ended before their 20 s wait");
        assertTrue(failed.stopped());
        assertEquals("failed", failed.state().active());
        assertTrue(looping.stopped());
        assertEquals(3, looping.state().restarts());
    }
}
