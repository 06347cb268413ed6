package dev.litellmdeploy.deployer.bundle;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The two digests a manifest carries (the bundle format, docs/security.md "Bundles"):
 * {@code bundle_id}, the sha256 of the "sha256  name\n" lines of its files sorted by name (what
 * gets installed: equal ids install the same bytes, so a rebuild at another time or revision is
 * still a no-op deploy); {@code manifest_sha256}, the sha256 of the manifest itself in canonical
 * form: every field but manifest_sha256, keys sorted at every level, no whitespace, UTF-8. The
 * builder writes the same (config-builder BundleWriter); a test builds with one and reads with
 * the other.
 */
public final class ManifestDigest {
    public static final String FIELD = "manifest_sha256";
    private static final ObjectMapper CANONICAL = new ObjectMapper().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    private ManifestDigest() {
    }

    public static String bundleId(Map<String, String> fileDigests) {
        StringBuilder lines = new StringBuilder();
        new TreeMap<>(fileDigests).forEach((name, digest) -> lines.append(digest).append("  ").append(name).append('\n'));
        return Bundle.sha256(lines.toString().getBytes(StandardCharsets.UTF_8));
    }

    public static String manifestSha256(JsonNode manifest) {
        ObjectNode copy = manifest.deepCopy();
        copy.remove(FIELD);
        try {
            Object plain = CANONICAL.treeToValue(copy, Object.class);
            return Bundle.sha256(CANONICAL.writeValueAsBytes(plain));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
