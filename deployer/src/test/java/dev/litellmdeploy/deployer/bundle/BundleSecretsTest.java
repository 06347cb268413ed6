package dev.litellmdeploy.deployer.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.litellmdeploy.builder.BuildRequest;
import dev.litellmdeploy.builder.BundleOptions;
import dev.litellmdeploy.builder.ConfigBuilder;

/** The deployer's secrets of a bundle: everything the redacted view hides, down to the parts of a URL. */
class BundleSecretsTest {
    @TempDir
    Path dir;

    static final String PREBUILT = """
            model_list:
              - model_name: frontier-muffin
                litellm_params:
                  model: openai/muffin-large
                  api_base: https://muffin-user:fake-urlpass-1111@api.example.invalid/v1?key=fake-querykey-2222
                  extra_headers: {x-api-key: fake-header-3333}
            litellm_settings:
              cache_params: {type: redis, password: fake-redis-6666}
            general_settings:
              master_key: sk-fake-master-9999999999
              database_url: postgresql://llmproxy:fake-pgpass-0000@db.example.invalid:5432/litellm
            """;

    @Test
    void everyValueTheRedactedViewHidesIsASecretToMaskIncludingThePartsOfAUrl() throws Exception {
        Path config = dir.resolve("prebuilt.yaml");
        Files.writeString(config, PREBUILT);
        new ConfigBuilder().build(BuildRequest.fromConfig(config, dir.resolve("bundle"), BundleOptions.defaults()));
        Bundle bundle = Bundle.read(dir.resolve("bundle"));
        for (String secret : List.of("fake-urlpass-1111", "fake-querykey-2222", "fake-header-3333", "fake-redis-6666",
                "sk-fake-master-9999999999", "fake-pgpass-0000")) {
            assertTrue(bundle.secrets().contains(secret),
                    "not a secret of the bundle: " + secret.substring(0, 9) + "...");
            String line = "error connecting with " + secret + " to the database";
            assertFalse(SecretRegistry.global().apply(line, "<m>").contains(secret), "not masked: " + secret.substring(0, 9) + "...");
        }
        assertFalse(bundle.secrets().contains("frontier-muffin"), "a model name is no secret");
    }

    /** Secrets in an include: file are the bundle's too; a master key set there is the one /v1/models is asked with. */
    @Test
    void theSecretsAndTheMasterKeyOfIncludedFilesAreKnown() throws Exception {
        Files.writeString(dir.resolve("config.yaml"), "include: [models.yaml, keys.yaml]\n");
        Files.writeString(dir.resolve("models.yaml"), "model_list:\n  - model_name: frontier-muffin\n    litellm_params:\n"
                + "      model: openai/muffin-large\n      api_key: fake-included-key-4444\n");
        Files.writeString(dir.resolve("keys.yaml"), "general_settings: {master_key: sk-fake-included-master-5555}\n");
        new ConfigBuilder().build(BuildRequest.fromConfig(dir.resolve("config.yaml"), dir.resolve("bundle"), BundleOptions.defaults()));
        Bundle bundle = Bundle.read(dir.resolve("bundle"));
        assertTrue(bundle.secrets().contains("fake-included-key-4444"), "an included file's api_key is not a secret of the bundle");
        assertEquals("sk-fake-included-master-5555", bundle.masterKey());
        assertTrue(bundle.declaresMasterKey());
        assertFalse(bundle.secrets().contains("frontier-muffin") || bundle.secrets().contains("models.yaml"), "names are no secrets");
    }

    @Test
    void theBuildersRedactedViewCarriesTheHeaderTheDeployerDiffsAgainst() {
        assertTrue(dev.litellmdeploy.builder.Redactor.HEADER.startsWith(Bundle.ALLOW_LIST_REDACTION));
    }

    @Test
    void theMarkersOfAPartlyRedactedValueStandForTheHiddenParts() {
        assertEquals(List.of("u:fake-pw", "fake-pw", "fake-q"), Bundle.hiddenParts("https://u:fake-pw@h/p?key=fake-q", "https://<redacted>@h/p?key=<redacted>"));
        assertEquals(List.of("whole-value"), Bundle.hiddenParts("whole-value", "<redacted>"));
        assertEquals(List.of("https://u:p@h/"), Bundle.hiddenParts("https://u:p@h/", "https://<redacted>@other/"), "no match: the whole value");
    }
}
