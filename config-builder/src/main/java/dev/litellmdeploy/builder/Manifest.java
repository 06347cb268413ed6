package dev.litellmdeploy.builder;

import java.util.List;
import java.util.Map;

/**
 * manifest.json: what a bundle holds. {@code bundleId} is the sha256 over the hashed files
 * (name and digest, sorted), so two bundles with equal ids install the same bytes.
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
        String builtAt) {
    public static final int FORMAT = 1;
}
