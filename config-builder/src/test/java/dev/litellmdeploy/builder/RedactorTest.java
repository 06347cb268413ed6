package dev.litellmdeploy.builder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/** The redacted view is an allow-list: only values known not to be secret are shown. */
class RedactorTest {
    @TempDir
    Path dir;

    /** A config made elsewhere (as Nix users do): its credentials sit under keys no deny-list names. */
    static final String PREBUILT = """
            model_list:
              - model_name: frontier-muffin
                litellm_params:
                  model: openai/muffin-large
                  api_base: https://muffin-user:fake-urlpass-1111@api.example.invalid:8443/v1?key=fake-querykey-2222&region=eu
                  extra_headers: {x-api-key: fake-header-3333}
                  headers: {X-Custom-Auth: fake-header-4444}
                  organization: fake-org-5555
                  rpm: 60
                  timeout: 30
                  api_version: "2024-06-01"
                model_info: {id: muffin-1, mode: chat}
            litellm_settings:
              drop_params: true
              cache: true
              cache_params: {type: redis, host: redis.example.invalid, port: 6379, password: fake-redis-6666}
              fallbacks: [{frontier-muffin: [frontier-muffin]}]
            router_settings:
              routing_strategy: simple-shuffle
              redis_url: redis://:fake-redisurl-7777@redis.example.invalid:6379/0
              redis_password: fake-redis-8888
            general_settings:
              master_key: sk-fake-master-9999999999
              database_url: postgresql://llmproxy:fake-pgpass-0000@db.example.invalid:5432/litellm
              alerting: [slack]
            environment_variables:
              SLACK_WEBHOOK_URL: https://hooks.example.invalid/services/fake-webhook-abab
              LITELLM_LOG: DEBUG
            anchors:
              common: {some_unknown_setting: fake-unknown-cdcd}
            """;

    static final List<String> PREBUILT_SECRETS = List.of("fake-urlpass-1111", "fake-querykey-2222", "fake-header-3333", "fake-header-4444",
            "fake-org-5555", "fake-redis-6666", "fake-redisurl-7777", "fake-redis-8888", "sk-fake-master-9999999999", "fake-pgpass-0000",
            "fake-webhook-abab", "fake-unknown-cdcd");

    private BuildResult buildPrebuilt() throws Exception {
        Path config = dir.resolve("prebuilt.yaml");
        Files.writeString(config, PREBUILT);
        return new ConfigBuilder().build(BuildRequest.fromConfig(config, dir.resolve("bundle"), BundleOptions.defaults()));
    }

    @Test
    void aPrebuiltConfigsCredentialsAreHiddenInTheRedactedViewWhateverKeyHoldsThem() throws Exception {
        BuildResult result = buildPrebuilt();
        String redacted = Files.readString(dir.resolve("bundle/config.redacted.yaml"));
        String masked = result.redactor().redact(PREBUILT);
        for (String secret : PREBUILT_SECRETS) {
            assertFalse(redacted.contains(secret), "config.redacted.yaml shows " + secret.substring(0, 9) + "...:\n" + redacted);
            assertFalse(masked.contains(secret), "the mask does not know " + secret.substring(0, 9) + "...");
        }
        Map<?, ?> view = new Yaml().load(redacted);
        Map<?, ?> params = (Map<?, ?>) ((Map<?, ?>) ((List<?>) view.get("model_list")).get(0)).get("litellm_params");
        assertEquals("https://<redacted>@api.example.invalid:8443/v1?key=<redacted>&region=<redacted>", params.get("api_base"));
        assertEquals(Map.of("x-api-key", "<redacted>"), params.get("extra_headers"));
        Map<?, ?> general = (Map<?, ?>) view.get("general_settings");
        assertEquals("postgresql://<redacted>@db.example.invalid:5432/litellm", general.get("database_url"));
        assertEquals("redis://<redacted>@redis.example.invalid:6379/0", ((Map<?, ?>) view.get("router_settings")).get("redis_url"));
    }

    @Test
    void theRedactedViewShowsModelNamesNumbersBooleansAndKnownSettings() throws Exception {
        buildPrebuilt();
        String redacted = Files.readString(dir.resolve("bundle/config.redacted.yaml"));
        for (String shown : List.of("model_name: frontier-muffin", "model: openai/muffin-large", "rpm: 60", "timeout: 30",
                "api_version: '2024-06-01'", "id: muffin-1", "mode: chat", "drop_params: true", "type: redis", "port: 6379",
                "routing_strategy: simple-shuffle", "- frontier-muffin", "- slack", "LITELLM_LOG: <redacted>")) {
            assertTrue(redacted.contains(shown), shown + " is not in:\n" + redacted);
        }
    }

    @Test
    void envFileModeMovesCredentialKeysAndNamesEveryHiddenValueThatStaysInline() throws Exception {
        Path config = dir.resolve("prebuilt.yaml");
        Files.writeString(config, PREBUILT);
        BuildResult result = new ConfigBuilder().build(BuildRequest.fromConfig(config, dir.resolve("bundle"),
                BundleOptions.defaults().withEnvFileMode(true)));
        String env = Files.readString(dir.resolve("bundle/litellm.env"));
        assertTrue(env.contains("fake-redis-6666") && env.contains("sk-fake-master-9999999999"), "credential keys move");
        List<String> inline = result.warnings().stream().filter(f -> f.code().equals("secret-stays-inline")).map(Finding::message).toList();
        assertTrue(inline.stream().anyMatch(m -> m.startsWith("'model_list[0].litellm_params.organization' is hidden")), inline.toString());
        assertTrue(inline.stream().anyMatch(m -> m.startsWith("'general_settings.database_url' holds a secret inside")), inline.toString());
    }

    @Test
    void theRedactedConfigIsReadableByTheOwnerOnly() throws Exception {
        buildPrebuilt();
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("bundle/config.redacted.yaml"))));
    }

    @Test
    void environmentReferencesAndEmptyStringsAreShown() {
        Object view = new Redactor(List.of()).redactTree(Map.of("general_settings",
                Map.of("master_key", "os.environ/LITELLM_MASTER_KEY", "database_url", "")));
        assertEquals(Map.of("general_settings", Map.of("master_key", "os.environ/LITELLM_MASTER_KEY", "database_url", "")), view);
        assertEquals(List.of(), Redactor.sensitiveValues(Map.of("general_settings", Map.of("master_key", "os.environ/K"))));
    }

    @Test
    void urlsKeepSchemeHostPortAndPathButLoseUserinfoQueryValuesAndFragment() {
        UrlRedaction.Result r = UrlRedaction.redact("https://u:fake-pw@h.example.invalid:1/p/q?a=1&flag&b=fake-q#frag", "<x>");
        assertEquals("https://<x>@h.example.invalid:1/p/q?a=<x>&<x>&b=<x>#<x>", r.shown());
        assertEquals(List.of("u:fake-pw", "fake-pw", "1", "flag", "fake-q", "frag"), r.hidden());
        assertEquals("http://[::1]:4000/v1", UrlRedaction.redact("http://[::1]:4000/v1", "<x>").shown());
    }

    @Test
    void aUrlThatCannotBeSplitSafelyIsHiddenWhole() {
        for (String ambiguous : List.of("https://user:pa/ss@host.example.invalid/v1", "https://user:pa ss@host/v1", "not a url fake-secret",
                "host.example.invalid:5432")) {
            UrlRedaction.Result r = UrlRedaction.redact(ambiguous, "<x>");
            assertEquals("<x>", r.shown(), ambiguous);
            assertEquals(List.of(ambiguous), r.hidden());
        }
    }

    @Test
    void aUrlUnderAKeyNotListedForUrlsIsHiddenWhole() {
        Object view = new Redactor(List.of()).redactTree(Map.of("general_settings",
                Map.of("alerting_webhook", "https://hooks.example.invalid/services/fake-webhook-path")));
        assertEquals(Map.of("general_settings", Map.of("alerting_webhook", "<redacted>")), view);
    }
}
