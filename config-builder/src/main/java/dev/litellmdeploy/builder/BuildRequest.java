package dev.litellmdeploy.builder;

import java.nio.file.Path;

/**
 * What to build. Either {@code templatesDir} (with an optional {@code secretsDir}) or a ready
 * {@code configFile} (built elsewhere, e.g. by Nix), which is validated and bundled as it is.
 */
public record BuildRequest(Path templatesDir, Path secretsDir, Path configFile, Path outDir, BundleOptions options) {

    public static BuildRequest fromTemplates(Path templates, Path secrets, Path out, BundleOptions options) {
        return new BuildRequest(templates, secrets, null, out, options);
    }

    public static BuildRequest fromConfig(Path config, Path out, BundleOptions options) {
        return new BuildRequest(null, null, config, out, options);
    }
}
