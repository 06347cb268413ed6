package dev.litellmdeploy.deployer.probe;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.litellmdeploy.deployer.remote.RemoteCommandException;
import dev.litellmdeploy.deployer.remote.RemoteHost;
import dev.litellmdeploy.deployer.DeployFailedException;

/**
 * Talks to the proxy through an SSH port-forward to its port on the server's loopback (the port
 * need not be open to the deployer). The free endpoints: /health/liveliness, /health/readiness and
 * /v1/models; never /health, which calls every model and costs money. A chat completion only for the
 * smoke requests a user asked for ({@link #chat}).
 */
public final class Readiness {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    private final RemoteHost host;
    private final int servicePort;
    private int localPort;

    public Readiness(RemoteHost host, int servicePort) {
        this.host = host;
        this.servicePort = servicePort;
    }

    private String base() throws RemoteCommandException {
        if (localPort == 0) {
            localPort = host.forward(servicePort);
        }
        return "http://127.0.0.1:" + localPort;
    }

    /** The HTTP status of a GET, or 0 when nothing answers. */
    public int status(String path) throws RemoteCommandException {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(base() + path)).timeout(Duration.ofSeconds(5)).GET().build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    public boolean ready() throws RemoteCommandException {
        return status("/health/liveliness") == 200 && status("/health/readiness") == 200;
    }

    /** What one chat completion got: the HTTP status (0: no answer), LiteLLM's error text when it failed, how long it took. */
    public record Answer(int status, String error, long millis) {
    }

    /** One minimal chat completion for the model, with the master key (a smoke request: it reaches the provider). */
    public Answer chat(String masterKey, String model, int maxTokens, Duration timeout) throws RemoteCommandException {
        long start = System.nanoTime();
        try {
            String body = JSON.writeValueAsString(java.util.Map.of("model", model, "max_tokens", maxTokens,
                    "messages", List.of(java.util.Map.of("role", "user", "content", "ping"))));
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base() + "/v1/chat/completions")).timeout(timeout)
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
            if (masterKey != null) {
                request.header("Authorization", "Bearer " + masterKey);
            }
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            long took = (System.nanoTime() - start) / 1_000_000;
            if (response.statusCode() == 200) {
                return new Answer(200, "", took);
            }
            String error;
            try {
                JsonNode e = JSON.readTree(response.body()).path("error");
                error = e.isTextual() ? e.asText() : e.path("message").asText(response.body());
            } catch (IOException notJson) {
                error = response.body();
            }
            return new Answer(response.statusCode(), error.length() > 600 ? error.substring(0, 600) + "..." : error, took);
        } catch (IOException e) {
            return new Answer(0, "no answer: " + e.getMessage(), (System.nanoTime() - start) / 1_000_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer(0, "interrupted", (System.nanoTime() - start) / 1_000_000);
        }
    }

    /** The model ids /v1/models lists with this key; throws with the HTTP status when it refuses. */
    public List<String> models(String masterKey) throws RemoteCommandException, DeployFailedException {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base() + "/v1/models")).timeout(Duration.ofSeconds(10)).GET();
            if (masterKey != null) {
                request.header("Authorization", "Bearer " + masterKey);
            }
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return modelIds(response.statusCode(), response.body(), false);
        } catch (IOException e) {
            throw new DeployFailedException("/v1/models did not answer: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeployFailedException("interrupted", e);
        }
    }

    /**
     * The model ids of a /v1/models answer (through the port-forward, or read on the server by the helper's {@code probe});
     * throws with the HTTP status when it refused, and when the body is not the list ({@code cut}: over the 1 MiB the
     * helper's reply carries).
     */
    public static List<String> modelIds(int status, String body, boolean cut) throws DeployFailedException {
        if (status == 0) {
            throw new DeployFailedException("/v1/models did not answer");
        }
        if (status != 200) {
            throw new dev.litellmdeploy.deployer.ReleaseFailed("/v1/models answered " + status
                    + (status == 401 ? ": the proxy rejected the bundle's master key" : ""));
        }
        if (cut) {
            throw new DeployFailedException("/v1/models answered more than 1 MiB; the deployer reads at most that much");
        }
        try {
            List<String> ids = new ArrayList<>();
            for (JsonNode model : JSON.readTree(body).path("data")) {
                ids.add(model.path("id").asText());
            }
            return ids;
        } catch (IOException e) {
            throw new DeployFailedException("/v1/models did not answer: " + e.getMessage(), e);
        }
    }
}
