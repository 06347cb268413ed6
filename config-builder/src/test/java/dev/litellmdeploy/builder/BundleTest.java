package dev.litellmdeploy.builder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

class BundleTest {
    @TempDir
    Path dir;

    private static final Path EXAMPLES = Path.of(System.getProperty("litellmdeploy.projectRoot", "..")).resolve("examples");

    @Test
    void theExampleBuildsCleanlyIntoACompleteBundle() throws Exception {
        Path out = dir.resolve("bundle");
        BuildResult result = new ConfigBuilder().build(BuildRequest.fromTemplates(EXAMPLES.resolve("templates"),
                EXAMPLES.resolve("secrets"), out, BundleOptions.defaults().withSourceRevision("abc123")));
        assertEquals(List.of(), result.warnings().stream().filter(Finding::isError).toList());
        assertEquals(List.of("frontier-muffin", "scone-large", "tiny-scone", "local-crumpet"), result.manifest().models());
        assertEquals(List.of("config.redacted.yaml", "config.yaml", "litellm.service", "manifest.json"), list(out));
        Map<String, String> files = result.manifest().files();
        for (String name : files.keySet()) {
            assertEquals(BundleWriter.sha256(Files.readAllBytes(out.resolve(name))), files.get(name), name);
        }
        assertEquals("abc123", result.manifest().sourceRevision());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(out.resolve("config.yaml"))));
        long frontier = ((List<?>) ((Map<?, ?>) new Yaml().load(Files.readString(out.resolve("config.yaml")))).get("model_list"))
                .stream().filter(e -> "frontier-muffin".equals(((Map<?, ?>) e).get("model_name"))).count();
        assertEquals(3, frontier, "frontier-muffin is load-balanced over three deployments");
    }

    @Test
    void sameInputsInADifferentFileOrderGiveByteIdenticalBundles() throws Exception {
        Path a = copyTree(EXAMPLES, dir.resolve("a"), false);
        Path b = copyTree(EXAMPLES, dir.resolve("b"), true);
        BundleOptions options = BundleOptions.defaults();
        BuildResult ra = new ConfigBuilder().build(BuildRequest.fromTemplates(a.resolve("templates"), a.resolve("secrets"), dir.resolve("out-a"), options));
        BuildResult rb = new ConfigBuilder().build(BuildRequest.fromTemplates(b.resolve("templates"), b.resolve("secrets"), dir.resolve("out-b"), options));
        for (String name : List.of("config.yaml", "config.redacted.yaml", "litellm.service")) {
            assertArrayEquals(Files.readAllBytes(dir.resolve("out-a").resolve(name)), Files.readAllBytes(dir.resolve("out-b").resolve(name)), name);
        }
        assertEquals(ra.manifest().bundleId(), rb.manifest().bundleId());
        // built_at is the build's time (SOURCE_DATE_EPOCH when set); manifest_sha256 covers it, so both differ between seconds
        String timeless = "\"(built_at|manifest_sha256)\" : \"[^\"]+\"";
        String ma = Files.readString(dir.resolve("out-a/manifest.json")).replaceAll(timeless, "");
        String mb = Files.readString(dir.resolve("out-b/manifest.json")).replaceAll(timeless, "");
        assertEquals(ma, mb);
        if (ra.manifest().builtAt().equals(rb.manifest().builtAt())) {
            assertArrayEquals(Files.readAllBytes(dir.resolve("out-a/manifest.json")), Files.readAllBytes(dir.resolve("out-b/manifest.json")));
        }
        for (String name : list(dir.resolve("out-a"))) {
            assertFalse(Files.readString(dir.resolve("out-a").resolve(name)).contains("\r"), name + " has CR");
        }
    }

    @Test
    void theManifestCarriesTheDigestOfItsOwnCanonicalContent() throws Exception {
        Inputs in = Inputs.valid(dir);
        BuildResult result = in.build();
        String text = in.bundleFile("manifest.json");
        com.fasterxml.jackson.databind.JsonNode manifest = new com.fasterxml.jackson.databind.ObjectMapper().readTree(text);
        assertEquals(2, manifest.get("format").asInt());
        assertEquals(result.manifest().manifestSha256(), manifest.get("manifest_sha256").asText());
        assertEquals(manifest.get("manifest_sha256").asText(), BundleWriter.manifestSha256(manifest), "recomputed from the file");
        // canonical: every field but the digest, keys sorted at every level, no whitespace
        com.fasterxml.jackson.databind.node.ObjectNode edited = manifest.deepCopy();
        edited.put("port", 4001);
        assertFalse(BundleWriter.manifestSha256(edited).equals(manifest.get("manifest_sha256").asText()), "an edit changes the digest");
    }

    @Test
    void theRedactedViewHoldsNoSecretAndTheConfigHoldsThemAll() throws Exception {
        Inputs in = Inputs.valid(dir);
        BuildResult result = in.build();
        String redacted = in.bundleFile("config.redacted.yaml");
        assertFalse(redacted.contains("sk-fake"), redacted);
        assertTrue(redacted.contains(Redactor.MARKER));
        assertEquals(redacted, result.redactedConfig());
        assertTrue(in.bundleFile("config.yaml").contains("sk-fake-muffin-bbbbbbbbbbbb"));
        assertEquals("api_key: <redacted> and more", result.redactor().redact("api_key: sk-fake-muffin-bbbbbbbbbbbb and more"));
    }

    @Test
    void envFileModeMovesEverySecretIntoLitellmEnvAsEnvironmentReferences() throws Exception {
        Inputs in = Inputs.valid(dir);
        BuildResult result = in.build(BundleOptions.defaults().withEnvFileMode(true));
        String config = in.bundleFile("config.yaml");
        assertFalse(config.contains("sk-fake"), config);
        assertTrue(config.contains("master_key: os.environ/LITELLM_MASTER_KEY"), config);
        assertTrue(config.contains("api_key: os.environ/KEYS_MUFFIN"), config);
        String env = in.bundleFile("litellm.env");
        assertTrue(env.contains("LITELLM_MASTER_KEY=\"sk-fake-master-aaaaaaaaaaaa\"\n"), env);
        assertTrue(env.contains("KEYS_MUFFIN=\"sk-fake-muffin-bbbbbbbbbbbb\"\n"), env);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(in.out.resolve("litellm.env"))));
        assertEquals(List.of("KEYS_MUFFIN", "LITELLM_MASTER_KEY"), result.manifest().envFileProvides());
        assertEquals(List.of("KEYS_MUFFIN", "LITELLM_MASTER_KEY"), result.manifest().envRefs());
        assertTrue(in.bundleFile("litellm.service").contains("EnvironmentFile=/etc/litellm/litellm.env\n"));
    }

    @Test
    void envFileValuesAreEscapedForSystemd() {
        assertEquals("# Written by litellm-deploy: the secrets config.yaml refers to as os.environ/NAME.\n"
                + "A=\"q\\\"b\\\\s\\$d\\`t\"\n", EnvFileSplit.render(Map.of("A", "q\"b\\s$d`t")));
    }

    @Test
    void theUnitPinsVersionsAndKeepsTheRealUvxCommandLine() throws Exception {
        Inputs in = Inputs.valid(dir);
        in.build(BundleOptions.defaults().withLitellmVersion("1.81.0").withListen("127.0.0.1", 4100)
                .withEnvironment(Map.of("UV_INDEX_URL", "https://pypi.mirror.example.invalid/simple")));
        String unit = in.bundleFile("litellm.service");
        assertTrue(unit.contains("\nExecStart=/usr/local/lib/litellm-deploy/uv/uvx --python 3.11 --with 'litellm[proxy]==1.81.0' litellm==1.81.0"
                + " --config /etc/litellm/config.yaml --host 127.0.0.1 --port 4100\n"), unit);
        assertTrue(unit.contains("\nUser=litellm\n") && unit.contains("\nProtectSystem=strict\n") && unit.contains("\nReadWritePaths=/opt/litellm\n"));
        assertTrue(unit.contains("\nEnvironment=\"UV_INDEX_URL=https://pypi.mirror.example.invalid/simple\"\n"), unit);
        assertFalse(unit.contains("EnvironmentFile"), unit);
    }

    @Test
    void aUnitTemplateInTheTemplatesDirectoryWinsAndUnknownVariablesFail() throws Exception {
        Inputs in = Inputs.valid(dir).template("litellm.service.mustache", "[Service]\nExecStart={{uvx}} litellm=={{litellm_version}}\n");
        in.build();
        assertEquals("[Service]\nExecStart=/usr/local/lib/litellm-deploy/uv/uvx litellm==" + BundleOptions.DEFAULT_LITELLM_VERSION + "\n",
                in.bundleFile("litellm.service"));
        Inputs bad = Inputs.valid(dir.resolve("bad")).template("litellm.service.mustache", "[Service]\nUser={{usr}}\n");
        Finding f = bad.failures().get(0);
        assertEquals(Location.of("litellm.service.mustache", 2), f.location());
    }

    @Test
    void aReadyConfigIsValidatedAndBundledAsIs() throws Exception {
        Path config = dir.resolve("nix-built.yaml");
        Files.writeString(config, "model_list:\n  - model_name: a\n    litellm_params: {model: openai/a, api_key: sk-fake-nix-dddddddddd}\n"
                + "general_settings: {master_key: sk-fake-nix-master-eeee}\n");
        BuildResult result = new ConfigBuilder().build(BuildRequest.fromConfig(config, dir.resolve("out"), BundleOptions.defaults()));
        assertEquals(List.of("a"), result.manifest().models());
        assertEquals((Object) new Yaml().load(Files.readString(config)), (Object) new Yaml().load(Files.readString(dir.resolve("out/config.yaml"))));
        String redacted = Files.readString(dir.resolve("out/config.redacted.yaml"));
        assertFalse(redacted.contains("sk-fake"), "credential-named keys are redacted in a ready config: " + redacted);
    }

    @Test
    void aRebuildReplacesAnEarlierBundleButNeverAForeignDirectory() throws Exception {
        Inputs in = Inputs.valid(dir);
        in.build();
        in.build();
        Path foreign = dir.resolve("home");
        Files.createDirectories(foreign);
        Files.writeString(foreign.resolve("thesis.tex"), "precious");
        IOException e = assertThrows(IOException.class, () -> new ConfigBuilder().build(
                BuildRequest.fromTemplates(in.templates, in.secrets, foreign, BundleOptions.defaults())));
        assertTrue(e.getMessage().contains("refusing"), e.getMessage());
        assertEquals("precious", Files.readString(foreign.resolve("thesis.tex")));
    }

    @Test
    void symlinksLeavingTheSecretsDirectoryAreRefused() throws Exception {
        Path outside = Files.writeString(dir.resolve("outside.yaml"), "stolen: sk-fake-outside-ffff\n");
        Inputs in = Inputs.valid(dir.resolve("in"));
        Files.createSymbolicLink(in.secrets.resolve("link.yaml"), outside);
        List<Finding> findings = in.failures();
        assertEquals("secrets-symlink-escape", findings.get(0).code());
        assertEquals("link.yaml", findings.get(0).location().file());
    }

    @Test
    void hiddenFoldersSuchAsGitAreIgnoredAndABomOrCrlfIsFine() throws Exception {
        Inputs in = Inputs.valid(dir).secret(".git/config.yaml", "not: [valid\n");
        in.secretBytes("bom.yaml", "\uFEFFbom:\r\n  key: sk-fake-bom-gggg\r\n".getBytes(StandardCharsets.UTF_8));
        in.model("20-bom", "- model_name: b\n  litellm_params: {model: openai/b, api_key: {{bom.key}}}\n");
        in.build();
        assertTrue(in.bundleFile("config.yaml").contains("api_key: sk-fake-bom-gggg"));
    }

    private static List<String> list(Path d) throws IOException {
        try (Stream<Path> s = Files.list(d)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /** Copies a tree file by file, in sorted or reverse order (so directory listing orders differ). */
    private static Path copyTree(Path from, Path to, boolean reverse) throws IOException {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(from)) {
            walk.filter(Files::isRegularFile).sorted().forEach(files::add);
        }
        if (reverse) {
            Collections.reverse(files);
        }
        for (Path f : files) {
            Path target = to.resolve(from.relativize(f).toString());
            Files.createDirectories(target.getParent());
            Files.copy(f, target);
        }
        return to;
    }
}
