package dev.litellmdeploy.deployer;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import dev.litellmdeploy.deployer.remote.ExecResult;
import dev.litellmdeploy.deployer.remote.RemoteCommandException;
import dev.litellmdeploy.deployer.remote.RemoteHost;

/**
 * One connection to an {@link InProcessHost}: helper verbs go to the host's model, uploads into its staging folder, and
 * {@link #forward} gives a loopback HTTP server answering /health/liveliness, /health/readiness and /v1/models (with the
 * master key check) for whatever release the model says listens on that port of the host, as LiteLLM would. Once the
 * connection is dropped or closed, calls throw, the lock it held is free, and its forwards stop answering.
 */
final class InProcessConnection implements RemoteHost {
    private static final ObjectMapper JSON = new ObjectMapper();

    static {
        // the JDK server writes headers and body apart: without TCP_NODELAY each answer waits ~40 ms for a delayed ACK
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }
    private final InProcessHost host;
    private final int id;
    private volatile boolean up = true;
    private final Map<Integer, HttpServer> forwards = new ConcurrentHashMap<>();

    InProcessConnection(InProcessHost host, int id) {
        this.host = host;
        this.id = id;
    }

    /** The deploy lock's holder: open while the connection is up and the deployer has not closed it. */
    final class Lock implements RunningCommand {
        private final String owner;
        private volatile boolean closed;

        Lock(String owner) {
            this.owner = owner;
        }

        InProcessConnection connection() {
            return InProcessConnection.this;
        }

        String owner() {
            return owner;
        }

        @Override
        public boolean isOpen() {
            return !closed && up;
        }

        @Override
        public void close() {
            closed = true;
            if (up) {
                // a channel on a dead connection cannot reach the host: its lock stays until the host notices
                host.unlock(this);
            }
        }
    }

    @Override
    public String describe() {
        return "root@" + host.name + ":22 (in-process, connection " + id + ")";
    }

    @Override
    public boolean connected() {
        return up;
    }

    @Override
    public ExecResult call(Duration timeout, String verb, String... args) throws RemoteCommandException {
        return host.call(this, verb, args);
    }

    @Override
    public RunningCommand start(Consumer<String> stdout, Consumer<String> stderr, String verb, String... args) throws RemoteCommandException {
        if (!up) {
            throw new RemoteCommandException("the connection to " + describe() + " is closed", -1, "");
        }
        List<String> out = new ArrayList<>();
        List<String> err = new ArrayList<>();
        if (verb.equals("lock")) {
            Lock lock = new Lock(args.length > 1 ? args[1] : "");
            boolean held = host.lock(lock, out, err, args);
            out.forEach(stdout);
            err.forEach(stderr);
            if (!held) {
                lock.closed = true;
            }
            return lock;
        }
        ExecResult r = call(Duration.ZERO, verb, args);
        r.stdout().lines().forEach(stdout);
        r.stderr().lines().forEach(stderr);
        return new RunningCommand() {
            @Override
            public boolean isOpen() {
                return false;
            }

            @Override
            public void close() {
            }
        };
    }

    @Override
    public void upload(InputStream content, String remotePath) throws RemoteCommandException {
        try {
            upload(Map.of(remotePath, content.readAllBytes()));
        } catch (IOException e) {
            throw new RemoteCommandException("upload of " + remotePath + " failed", e);
        }
    }

    @Override
    public void upload(Map<String, byte[]> files) throws RemoteCommandException {
        if (!up) {
            throw new RemoteCommandException("the connection to " + describe() + " is closed", -1, "");
        }
        host.upload(this, files);
    }

    @Override
    public String stagingDir() {
        return InProcessHost.STATE + "/staging/" + InProcessHost.LOGIN_USER;
    }

    @Override
    public int forward(int remotePort) throws RemoteCommandException {
        if (!up) {
            throw new RemoteCommandException("the connection to " + describe() + " is closed", -1, "");
        }
        try {
            HttpServer server = forwards.get(remotePort);
            if (server == null) {
                server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
                server.createContext("/", ex -> answer(ex, remotePort));
                server.start();
                forwards.put(remotePort, server);
            }
            return server.getAddress().getPort();
        } catch (IOException e) {
            throw new RemoteCommandException("cannot forward port " + remotePort, e);
        }
    }

    /** LiteLLM's three free endpoints, for the release listening on the port; nothing listening: the connection closes unanswered. */
    private void answer(HttpExchange ex, int remotePort) throws IOException {
        try {
            InProcessServer.Release r = up ? host.servingOn(remotePort) : null;
            if (r == null) {
                return;
            }
            String path = ex.getRequestURI().getPath();
            int status = 200;
            String body;
            if (path.equals("/health/liveliness")) {
                body = "\"I'm alive!\"";
            } else if (path.equals("/health/readiness")) {
                status = host.ready(r) ? 200 : 503;
                body = status == 200 ? "{\"status\":\"healthy\"}" : "{\"status\":\"unhealthy\",\"db\":\"not connected\"}";
            } else if (path.equals("/v1/models")) {
                String key = r.bundle().masterKey();
                if (key != null && !("Bearer " + key).equals(ex.getRequestHeaders().getFirst("Authorization"))) {
                    status = 401;
                    body = "{\"error\":{\"message\":\"Authentication Error, No api key passed in.\"}}";
                } else {
                    body = modelList(r.bundle().models());
                }
            } else {
                status = 404;
                body = "{\"detail\":\"Not Found\"}";
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(status, bytes.length);
            ex.getResponseBody().write(bytes);
        } finally {
            ex.close();
        }
    }

    /** /v1/models's body listing these model ids, as LiteLLM writes it. */
    static String modelList(List<String> models) {
        ObjectNode list = JSON.createObjectNode().put("object", "list");
        ArrayNode data = list.putArray("data");
        models.forEach(m -> data.addObject().put("id", m).put("object", "model"));
        try {
            return JSON.writeValueAsString(list);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** In memory: no process list to show an argument. */
    @Override
    public boolean argumentsStayPrivate() {
        return true;
    }

    /** The connection is gone: calls throw from now on; the forwards stop (on their own thread: a request may be waiting on the host). */
    void cut() {
        up = false;
        List<HttpServer> servers = new ArrayList<>(forwards.values());
        forwards.clear();
        Thread stopper = new Thread(() -> servers.forEach(s -> s.stop(0)), "in-process-forward-stop");
        stopper.setDaemon(true);
        stopper.start();
    }

    @Override
    public void close() {
        host.drop(this);
    }
}
