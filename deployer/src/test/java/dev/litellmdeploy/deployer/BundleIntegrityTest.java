package dev.litellmdeploy.deployer;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.litellmdeploy.deployer.bundle.Bundle;
import dev.litellmdeploy.deployer.bundle.BundleException;

/**
 * A bundle directory is read as exactly what the builder wrote: regular files only (no symlink
 * can make the deployer upload a file of the deploying machine), every manifest field covered by
 * a digest, every value the deployer uses checked, each problem named by its field.
 */
class BundleIntegrityTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private Path built() throws Exception {
        Fixtures.exampleBundle(dir);
        return dir.resolve("bundle");
    }

    private static String refusal(Path bundle) {
        BundleException e = assertThrows(BundleException.class, () -> Bundle.read(bundle), "the bundle was read");
        return e.getMessage();
    }

    @Test
    void symlinkedConfigInABundleIsRefusedEvenWhenItsDigestMatches() throws Exception {
        Path bundle = built();
        Path elsewhere = Files.copy(bundle.resolve("config.yaml"), dir.resolve("deploying-machine-file"));
        Files.delete(bundle.resolve("config.yaml"));
        Files.createSymbolicLink(bundle.resolve("config.yaml"), elsewhere);
        String message = refusal(bundle);
        assertTrue(message.contains("config.yaml") && message.contains("symbolic link"), message);
    }

    @Test
    void everyListedFileAndTheManifestMustBeRegularFiles() throws Exception {
        Path bundle = built();
        for (String name : List.of("litellm.service", "config.redacted.yaml", "manifest.json")) {
            Path original = Files.move(bundle.resolve(name), dir.resolve(name + ".outside"));
            Files.createSymbolicLink(bundle.resolve(name), original);
            String message = refusal(bundle);
            assertTrue(message.contains(name) && message.contains("symbolic link"), name + ": " + message);
            Files.delete(bundle.resolve(name));
            Files.move(original, bundle.resolve(name));
        }
        Files.delete(bundle.resolve("litellm.service"));
        Files.createDirectory(bundle.resolve("litellm.service"));
        assertTrue(refusal(bundle).contains("litellm.service is not a regular file"));
    }

    @Test
    void aFifoInPlaceOfAFileIsRefusedWithoutBlocking() throws Exception {
        Path bundle = built();
        Files.delete(bundle.resolve("config.yaml"));
        assertEquals(0, new ProcessBuilder("mkfifo", bundle.resolve("config.yaml").toString()).start().waitFor());
        String message = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> refusal(bundle));
        assertTrue(message.contains("config.yaml is not a regular file"), message);
    }

    @Test
    void anEditedManifestIsDetected() throws Exception {
        Path bundle = built();
        Map<String, Consumer<ObjectNode>> edits = new LinkedHashMap<>();
        edits.put("port", m -> m.put("port", 4001));
        edits.put("models", m -> m.withArray("models").add("extra-model"));
        edits.put("litellm_version", m -> m.put("litellm_version", "1.80.8"));
        edits.put("source_revision", m -> m.put("source_revision", "someone-else"));
        edits.put("built_at", m -> m.put("built_at", "2020-01-01T00:00:00Z"));
        edits.put("a new field", m -> m.put("extra", "x"));
        edits.put("a file digest and bundle_id together", m -> {
            m.with("files").put("config.redacted.yaml", Bundle.sha256("other".getBytes(StandardCharsets.UTF_8)));
        });
        byte[] original = Files.readAllBytes(bundle.resolve("manifest.json"));
        for (Map.Entry<String, Consumer<ObjectNode>> edit : edits.entrySet()) {
            ObjectNode manifest = (ObjectNode) JSON.readTree(original);
            edit.getValue().accept(manifest);
            Files.writeString(bundle.resolve("manifest.json"), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(manifest));
            String message = refusal(bundle);
            assertTrue(message.contains("changed after it was built"), edit.getKey() + ": " + message);
        }
        Files.write(bundle.resolve("manifest.json"), original);
        assertDoesNotThrow(() -> Bundle.read(bundle));
    }

    @Test
    void aBundleIdThatDoesNotMatchTheFilesIsDetected() throws Exception {
        Path bundle = built();
        ObjectNode manifest = (ObjectNode) JSON.readTree(bundle.resolve("manifest.json").toFile());
        manifest.put("bundle_id", "0".repeat(64));
        Files.writeString(bundle.resolve("manifest.json"), JSON.writeValueAsString(manifest));
        String message = refusal(bundle);
        assertTrue(message.contains("bundle_id") && message.contains("changed after it was built"), message);
    }

    @Test
    void badManifestValuesAreRefusedNamingTheField() throws Exception {
        Path bundle = built();
        Map<String, Consumer<ObjectNode>> cases = new LinkedHashMap<>();
        cases.put("bundle_id", m -> m.put("bundle_id", "abc"));
        cases.put("bundle_id ", m -> m.put("bundle_id", "../../etc/passwd"));
        cases.put("port", m -> m.put("port", 0));
        cases.put("port ", m -> m.put("port", 70000));
        cases.put("port  ", m -> m.put("port", -1));
        cases.put("host", m -> m.put("host", "0.0.0.0 --evil"));
        cases.put("models", m -> m.putArray("models"));
        cases.put("models[0]", m -> m.withArray("models").set(0, "bad\n::warning::name"));
        cases.put("models[1]", m -> m.withArray("models").set(1, ""));
        cases.put("litellm_version", m -> m.put("litellm_version", "1.0; rm -rf /"));
        cases.put("source_revision", m -> m.put("source_revision", "abc\u001b[31m"));
        cases.put("env_refs[0]", m -> m.putArray("env_refs").add("A B"));
        cases.put("files.config.yaml", m -> m.with("files").put("config.yaml", "not-a-digest"));
        byte[] original = Files.readAllBytes(bundle.resolve("manifest.json"));
        for (Map.Entry<String, Consumer<ObjectNode>> c : cases.entrySet()) {
            ObjectNode manifest = (ObjectNode) JSON.readTree(original);
            c.getValue().accept(manifest);
            Files.writeString(bundle.resolve("manifest.json"), JSON.writeValueAsString(manifest));
            String message = refusal(bundle);
            String field = c.getKey().strip();
            assertTrue(message.contains("manifest.json: " + field + " "), field + ": " + message);
            assertFalse(message.contains("\n::warning::") || message.contains("\u001b"), "the bad value is not echoed raw: " + message);
        }
    }

    /** The helper carries only the bundle's own names and plain *.yaml/*.yml/*.py beside them; the deployer refuses the rest before it sends anything. */
    @Test
    void aManifestListingAFileABundleCannotCarryIsRefused() throws Exception {
        Path bundle = built();
        byte[] original = Files.readAllBytes(bundle.resolve("manifest.json"));
        for (String name : List.of("..", "../x.yaml", "evil.service", "run.sh", "bundle-id", ".hidden.py", "sub/m.py")) {
            ObjectNode manifest = (ObjectNode) JSON.readTree(original);
            manifest.with("files").put(name, "0".repeat(64));
            Files.writeString(bundle.resolve("manifest.json"), JSON.writeValueAsString(manifest));
            String message = refusal(bundle);
            assertTrue(message.contains("manifest.json: files '" + name + "' names a file a bundle cannot carry"), name + ": " + message);
        }
    }

    @Test
    void aBundleOfTheOldFormatIsRefusedLocallyButAReleaseOfItOnAServerStillReads() throws Exception {
        Path bundle = built();
        ObjectNode manifest = (ObjectNode) JSON.readTree(bundle.resolve("manifest.json").toFile());
        manifest.put("format", 1);
        manifest.remove("manifest_sha256");
        Files.writeString(bundle.resolve("manifest.json"), JSON.writeValueAsString(manifest));
        String message = refusal(bundle);
        assertTrue(message.contains("format 1") && message.contains("rebuild"), message);
        Map<String, byte[]> files = new LinkedHashMap<>();
        for (String name : List.of("config.yaml", "config.redacted.yaml", "litellm.service")) {
            files.put(name, Files.readAllBytes(bundle.resolve(name)));
        }
        Bundle release = Bundle.fromFiles("host:/var/lib/litellm-deploy/releases/r1", Files.readAllBytes(bundle.resolve("manifest.json")), files);
        assertEquals(64, release.bundleId().length());
    }
}
