package dev.litellmdeploy.builder;

import java.util.List;
import java.util.Map;

/**
 * manifest.json: what a bundle holds. {@code bundleId} is the sha256 over the hashed files
 * (name and digest, sorted), so two bundles with equal ids install the same bytes (and a rebuild
 * at another time or revision is a no-op deploy). {@code manifestSha256} covers the manifest
 * itself: the sha256 of its canonical JSON (every field but this one, keys sorted at every level,
 * no whitespace), so an edit to any field (models, port, versions, revision) is detected when the
 * deployer reads the bundle. Format 2 added it; the deployer refuses format 1 bundle directories.
 */
public record Manifest(
        int format,
        String bundleId,
        Map<String, String> files,
        String litellmVersion,
        String pythonVersion,
        String host,
        int port,
        List<String> models,
        List<String> envRefs,
        List<String> envFileProvides,
        String sourceRevision,
        String builtAt,
        String manifestSha256) {
    public static final int FORMAT = 2;

    Manifest withManifestSha256(String digest) {
        return new Manifest(format, bundleId, files, litellmVersion, pythonVersion, host, port, models, envRefs, envFileProvides,
                sourceRevision, builtAt, digest);
    }
}
