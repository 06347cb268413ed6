package dev.litellmdeploy.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.time.Duration;
import java.util.EnumSet;

import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.channel.ClientChannel;
import org.apache.sshd.client.channel.ClientChannelEvent;
import org.apache.sshd.client.keyverifier.RequiredServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class TestHostTest {
    private static final int LITELLM_PORT = 4000;

    @RegisterExtension
    static final TestHost host = new TestHost().withExposedPort(LITELLM_PORT);

    private static SshClient client;

    @BeforeAll
    static void startClient() {
        client = SshClient.setUpDefaultClient();
        client.start();
    }

    @AfterAll
    static void stopClient() throws IOException {
        client.close();
    }

    private record Result(int exit, String stdout, String stderr) {
    }

    private static Result ssh(String user, PublicKey expectedHostKey, String command) throws IOException {
        client.setServerKeyVerifier(new RequiredServerKeyVerifier(expectedHostKey));
        try (ClientSession session = client.connect(user, host.host(), host.sshPort()).verify(Duration.ofSeconds(10)).getSession()) {
            session.addPublicKeyIdentity(host.keys().keyPair());
            session.auth().verify(Duration.ofSeconds(10));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            try (ClientChannel channel = session.createExecChannel(command)) {
                channel.setOut(out);
                channel.setErr(err);
                channel.open().verify(Duration.ofSeconds(10));
                channel.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), Duration.ofSeconds(30));
                return new Result(channel.getExitStatus(), out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
            }
        }
    }

    @Test
    void sshWithKeyAuthAndStrictHostKeyReachesRunningSystemd() throws IOException {
        Result result = ssh(TestHost.ROOT, host.hostPublicKey(), "systemctl is-system-running");
        assertEquals("running", result.stdout().trim());
        assertEquals(0, result.exit());
        assertEquals("1", host.exec("readlink /proc/1/exe | grep -c systemd").trim(), "systemd is PID 1");
    }

    @Test
    void aDifferentHostKeyIsRejectedBeforeAuthentication() {
        PublicKey someOtherKey = TestKeys.ed25519().keyPair().getPublic();
        assertThrows(IOException.class, () -> ssh(TestHost.ROOT, someOtherKey, "true"));
    }

    @Test
    void hostKeyIsFreshPerContainerAndExposedAsKnownHostsLineAndFingerprint() {
        assertTrue(host.knownHostsLine().matches("\\[localhost]:\\d+ ssh-ed25519 AAAA\\S+"), host.knownHostsLine());
        assertTrue(host.hostKeyFingerprint().startsWith("SHA256:"), host.hostKeyFingerprint());
        String fromServer = host.exec("ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub | cut -d' ' -f2").trim();
        assertEquals(fromServer, host.hostKeyFingerprint());
    }

    @Test
    void deployUserHasPasswordlessSudoAndAskpassUserDoesNot() throws IOException {
        Result deploy = ssh(TestHost.SUDO_USER, host.hostPublicKey(), "sudo -n id -u");
        assertEquals(0, deploy.exit(), deploy.stderr());
        assertEquals("0", deploy.stdout().trim());

        Result askpass = ssh(TestHost.PASSWORD_SUDO_USER, host.hostPublicKey(), "sudo -n id -u");
        assertNotEquals(0, askpass.exit());
        assertTrue(askpass.stderr().contains("password is required"), askpass.stderr());
    }

    @Test
    void litellmStandInRunsUnderSystemdAsTheLitellmUserViaUvx() throws Exception {
        host.exec("useradd --system --home-dir /opt/litellm --create-home --shell /usr/sbin/nologin litellm");
        host.exec("install -d -m 0750 -o root -g litellm /etc/litellm");
        host.exec("cat > /etc/litellm/config.yaml <<'YAML'\n"
                + "model_list:\n"
                + "  - model_name: frontier-muffin\n"
                + "    litellm_params: {model: openai/muffin-large, api_key: sk-fake-test-0000}\n"
                + "  - model_name: frontier-muffin\n"
                + "    litellm_params: {model: openai/muffin-large-2, api_key: sk-fake-test-0001}\n"
                + "  - model_name: tiny-scone\n"
                + "    litellm_params: {model: openai/scone-mini}\n"
                + "general_settings:\n"
                + "  master_key: sk-fake-master-key-for-tests\n"
                + "YAML\n"
                + "chown root:litellm /etc/litellm/config.yaml && chmod 0640 /etc/litellm/config.yaml");
        host.exec("cat > /etc/systemd/system/litellm.service <<'UNIT'\n"
                + "[Unit]\nDescription=LiteLLM proxy\nAfter=network-online.target\n"
                + "[Service]\nType=simple\nUser=litellm\nGroup=litellm\nWorkingDirectory=/opt/litellm\n"
                + "Environment=HOME=/opt/litellm UV_CACHE_DIR=/opt/litellm/.cache/uv PYTHONUNBUFFERED=1\n"
                + "ExecStart=/usr/local/lib/litellm-deploy/uv/uvx --python 3.11 --with 'litellm[proxy]==1.80.9' litellm==1.80.9"
                + " --config /etc/litellm/config.yaml --host 0.0.0.0 --port 4000\n"
                + "NoNewPrivileges=true\nPrivateTmp=true\nProtectSystem=strict\nProtectHome=true\nReadWritePaths=/opt/litellm\n"
                + "[Install]\nWantedBy=multi-user.target\nUNIT\n"
                + "systemctl daemon-reload && systemctl enable --now litellm");

        HttpClient http = HttpClient.newHttpClient();
        String base = "http://" + host.host() + ":" + host.mappedPort(LITELLM_PORT);
        HttpResponse<String> readiness = poll(http, base + "/health/readiness", Duration.ofSeconds(30));
        assertEquals(200, readiness.statusCode(), readiness.body());
        assertTrue(readiness.body().contains("\"litellm_version\": \"1.80.9\""), readiness.body());

        HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/models")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(401, anonymous.statusCode());

        HttpResponse<String> models = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/models"))
                .header("Authorization", "Bearer sk-fake-master-key-for-tests").build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, models.statusCode());
        assertTrue(models.body().contains("\"id\": \"frontier-muffin\"") && models.body().contains("\"id\": \"tiny-scone\""),
                models.body());
        assertEquals(1, models.body().split("frontier-muffin", -1).length - 1, "a load-balanced name is listed once");

        assertEquals("litellm", host.exec("ps -o user= -p $(systemctl show -p MainPID --value litellm)").trim());
    }

    @Test
    void litellmStandInRefusesAConfigWithoutModelList() {
        host.exec("mkdir -p /root/bad && printf 'general_settings: {}\\n' > /root/bad/config.yaml");
        var result = host.execResult("uvx litellm==1.80.9 --config /root/bad/config.yaml --port 4999");
        assertEquals(1, result.getExitCode());
        assertTrue(result.getStderr().contains("has no model_list"), result.getStderr());

        host.exec("printf 'model_list: [\\n' > /root/bad/broken.yaml");
        var broken = host.execResult("uvx litellm==1.80.9 --config /root/bad/broken.yaml --port 4999");
        assertEquals(1, broken.getExitCode());
        assertTrue(broken.getStderr().contains("not valid YAML"), broken.getStderr());
    }

    private static HttpResponse<String> poll(HttpClient http, String url, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        IOException last = null;
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return response;
                }
            } catch (IOException e) {
                last = e;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no 200 from " + url + " within " + timeout + (last == null ? "" : ": " + last), last);
    }
}
