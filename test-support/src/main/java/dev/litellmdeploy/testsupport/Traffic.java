package dev.litellmdeploy.testsupport;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Clients that keep using a LiteLLM proxy while a deploy runs: some send short chat completions in
 * a loop, some slow streaming ones (server-sent events over seconds). Counts every request that
 * fails (connection refused or reset, a non-200, a stream that ends before {@code data: [DONE]}) and
 * the slowest request, so a deploy strategy's effect on traffic is measured, not assumed.
 */
public final class Traffic implements AutoCloseable {
    private final URI base;
    private final String key;
    private final String model;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).version(HttpClient.Version.HTTP_1_1).build();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicInteger shortOk = new AtomicInteger();
    private final AtomicInteger streamsOk = new AtomicInteger();
    private final AtomicLong worstMillis = new AtomicLong();
    private final AtomicLong worstShortMillis = new AtomicLong();
    private final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();

    /** The outcome: requests that succeeded, the failures (what went wrong), the slowest request and the slowest short one. */
    public record Result(int shortOk, int streamsOk, List<String> failures, long worstMillis, long worstShortMillis) {
        public int failed() {
            return failures.size();
        }

        @Override
        public String toString() {
            return shortOk + " short and " + streamsOk + " streaming requests completed, " + failures.size() + " failed"
                    + (failures.isEmpty() ? "" : " (first: " + failures.get(0) + ")") + ", slowest " + worstMillis + " ms (short: " + worstShortMillis
                    + " ms)";
        }
    }

    public Traffic(String host, int port, String masterKey, String model, int shortClients, int streamClients) {
        this.base = URI.create("http://" + host + ":" + port);
        this.key = masterKey;
        this.model = model;
        for (int i = 0; i < shortClients; i++) {
            start(() -> {
                request(false);
                pause();
            }, "short-" + i);
        }
        for (int i = 0; i < streamClients; i++) {
            start(() -> request(true), "stream-" + i);
        }
    }

    private void start(Runnable loop, String name) {
        Thread t = new Thread(() -> {
            while (running.get()) {
                loop.run();
            }
        }, "traffic-" + name);
        t.setDaemon(true);
        threads.add(t);
        t.start();
    }

    private void request(boolean stream) {
        String body = "{\"model\": \"" + model + "\", \"stream\": " + stream + ", \"max_tokens\": 6,"
                + " \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}";
        HttpRequest request = HttpRequest.newBuilder(base.resolve("/v1/chat/completions")).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        long start = System.nanoTime();
        try {
            HttpResponse<java.io.InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            String text;
            try (BufferedReader in = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                StringBuilder all = new StringBuilder();
                for (String line; (line = in.readLine()) != null; ) {
                    all.append(line).append('\n');
                }
                text = all.toString();
            }
            if (response.statusCode() != 200) {
                failures.add((stream ? "stream" : "short") + ": HTTP " + response.statusCode());
            } else if (stream && !text.contains("data: [DONE]")) {
                failures.add("stream cut after " + text.split("data: ", -1).length + " events");
            } else if (!stream && !text.contains("chat.completion")) {
                failures.add("short: unexpected body");
            } else {
                (stream ? streamsOk : shortOk).incrementAndGet();
            }
        } catch (java.io.IOException e) {
            failures.add((stream ? "stream" : "short") + ": " + e.getClass().getSimpleName());
            pause();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running.set(false);
            return;
        }
        long took = (System.nanoTime() - start) / 1_000_000;
        worstMillis.accumulateAndGet(took, Math::max);
        if (!stream) {
            worstShortMillis.accumulateAndGet(took, Math::max);
        }
    }

    private void pause() {
        try {
            Thread.sleep(25);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops sending, lets requests in flight finish, and returns the tally. */
    public Result stop() {
        running.set(false);
        for (Thread t : threads) {
            try {
                t.join(Duration.ofSeconds(70).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return new Result(shortOk.get(), streamsOk.get(), List.copyOf(failures), worstMillis.get(), worstShortMillis.get());
    }

    @Override
    public void close() {
        stop();
    }
}
