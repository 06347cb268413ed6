package dev.litellmdeploy.builder;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * Writes a bundle directory: the files, then manifest.json. The files are written to a fresh
 * sibling directory and moved into place at the end, so a failed build never leaves half a bundle.
 * Every file but the unit is 0600: config.yaml and litellm.env hold secrets, and the redacted view
 * still shows hosts, paths and settings that are nobody else's business.
 */
public final class BundleWriter {
    public static final String CONFIG = "config.yaml";
    public static final String REDACTED_CONFIG = "config.redacted.yaml";
    public static final String ENV_FILE = "litellm.env";
    public static final String UNIT = "litellm.service";
    public static final String MANIFEST = "manifest.json";

    static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .setDefaultPrettyPrinter(new DefaultPrettyPrinter().withObjectIndenter(new DefaultIndenter("  ", "\n")))
            .enable(SerializationFeature.INDENT_OUTPUT);

    private static final ObjectMapper CANONICAL = new ObjectMapper().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    /** Writes the files (name -> content) and a manifest built from their digests; returns the manifest. */
    public Manifest write(Path outDir, Map<String, String> files, ManifestTemplate template) throws IOException {
        Map<String, String> digests = new TreeMap<>();
        files.forEach((name, content) -> digests.put(name, sha256(content.getBytes(StandardCharsets.UTF_8))));
        Manifest unsigned = template.complete(bundleId(digests), digests);
        Manifest manifest = unsigned.withManifestSha256(manifestSha256(JSON.valueToTree(unsigned)));

        refuseForeignDirectory(outDir);
        Path parent = outDir.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path staging = Files.createTempDirectory(parent, "." + outDir.getFileName() + ".tmp-");
        try {
            for (Map.Entry<String, String> f : new TreeMap<>(files).entrySet()) {
                Path target = staging.resolve(f.getKey());
                Files.writeString(target, f.getValue(), StandardCharsets.UTF_8);
                if (!UNIT.equals(f.getKey())) {
                    restrict(target);
                }
            }
            Files.writeString(staging.resolve(MANIFEST), JSON.writeValueAsString(manifest) + "\n", StandardCharsets.UTF_8);
            deleteTree(outDir);
            Files.move(staging, outDir, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            deleteTree(staging);
        }
        return manifest;
    }

    /** Only an empty directory or an earlier bundle may be replaced: never wipe a directory given by mistake. */
    private static void refuseForeignDirectory(Path outDir) throws IOException {
        if (!Files.exists(outDir)) {
            return;
        }
        if (!Files.isDirectory(outDir)) {
            throw new IOException(outDir + " exists and is not a directory; choose another --out");
        }
        java.util.Set<String> ours = java.util.Set.of(CONFIG, REDACTED_CONFIG, ENV_FILE, UNIT, MANIFEST, PythonLock.FILE);
        try (Stream<Path> list = Files.list(outDir)) {
            java.util.List<String> names = list.map(p -> p.getFileName().toString()).toList();
            boolean bundleFiles = names.stream().allMatch(n -> ours.contains(n) || ExtraFiles.NAME.matcher(n).matches());
            if (!names.isEmpty() && (!names.contains(MANIFEST) || !bundleFiles)) {
                throw new IOException(outDir + " is not empty and does not hold a bundle; refusing to replace it."
                        + " Choose an empty or new --out directory");
            }
        }
    }

    public static Manifest readManifest(Path bundleDir) throws IOException {
        return JSON.readValue(bundleDir.resolve(MANIFEST).toFile(), Manifest.class);
    }

    static String bundleId(Map<String, String> digests) {
        StringBuilder lines = new StringBuilder();
        new TreeMap<>(digests).forEach((name, digest) -> lines.append(digest).append("  ").append(name).append('\n'));
        return sha256(lines.toString().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The sha256 of the manifest's canonical JSON: every field but manifest_sha256, keys sorted at
     * every level, no whitespace, UTF-8 (the deployer's ManifestDigest computes the same).
     */
    static String manifestSha256(JsonNode manifest) {
        ObjectNode copy = manifest.deepCopy();
        copy.remove("manifest_sha256");
        try {
            return sha256(CANONICAL.writeValueAsBytes(CANONICAL.treeToValue(copy, Object.class)));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void restrict(Path file) throws IOException {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system (Windows): nothing to tighten
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** Everything in the manifest except what depends on the written bytes. */
    public interface ManifestTemplate {
        Manifest complete(String bundleId, Map<String, String> digests);
    }
}
