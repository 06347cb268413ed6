package dev.litellmdeploy.testsupport;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

import org.testcontainers.utility.MountableFile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A fake upstream provider (OpenAI chat completions, streaming too) on the test host's loopback,
 * that the real LiteLLM routes to via {@code api_base: }{@link #apiBase()}; it records which key
 * each request carried (as a SHA-256, never the key) so a test can assert the secret arrived.
 * Runs as the transient unit {@code fake-provider.service}.
 */
public final class FakeProvider {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SCRIPT = "/usr/local/lib/fake-provider/fake_provider.py";
    private static final String RECORD = "/var/lib/fake-provider/requests.jsonl";
    private final TestHost host;
    private final int port;

    private FakeProvider(TestHost host, int port) {
        this.host = host;
        this.port = port;
    }

    public static FakeProvider startOn(TestHost host, int port) {
        return startOn(host, port, 0);
    }

    /** Started with this many seconds between a stream's events (a stream has at least 6). */
    public static FakeProvider startOn(TestHost host, int port, double chunkSeconds) {
        host.exec("install -d -m 0755 /usr/local/lib/fake-provider && install -d -m 0700 /var/lib/fake-provider");
        host.container().copyFileToContainer(MountableFile.forClasspathResource("testhost/fake_provider.py", 0644), SCRIPT);
        host.exec("systemd-run --unit fake-provider --collect python3 " + SCRIPT + " --port " + port + " --record " + RECORD
                + " --chunk-seconds " + chunkSeconds + " && for i in $(seq 1 50); do curl -fsS -o /dev/null http://127.0.0.1:" + port + "/v1/models && exit 0; sleep 0.1; done; "
                + "journalctl -u fake-provider -o cat --no-pager | tail -5 >&2; exit 1");
        return new FakeProvider(host, port);
    }

    /** The provider a test class already started on this host and port. */
    public static FakeProvider startedOn(TestHost host, int port) {
        host.exec("systemctl is-active --quiet fake-provider");
        return new FakeProvider(host, port);
    }

    /** What LiteLLM's {@code api_base} must be to reach it. */
    public String apiBase() {
        return "http://127.0.0.1:" + port + "/v1";
    }

    /** Every chat request received so far, in order: path, model, stream, key_sha256. */
    public List<JsonNode> requests() {
        String lines = host.exec("cat " + RECORD + " 2>/dev/null || true");
        return lines.lines().filter(l -> !l.isBlank()).map(FakeProvider::parse).toList();
    }

    public static String sha256(String key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode parse(String line) {
        try {
            return JSON.readTree(line);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("the fake provider wrote a line that is not JSON: " + line, e);
        }
    }
}
