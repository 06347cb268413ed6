package dev.litellmdeploy.deployer;

import java.nio.file.Path;

/**
 * Where uv comes from when the server lacks it: a uv release archive or installer script on this
 * machine (uploaded; for servers that cannot reach the internet), or an installer URL the server
 * downloads (default: the official installer). {@code version} pins it: an installed uv of another
 * version is replaced; null accepts whatever uvx is there.
 */
public record UvSource(Path localFile, String installerUrl, String version) {
    public static final String OFFICIAL_INSTALLER = "https://astral.sh/uv/install.sh";

    public static UvSource official() {
        return new UvSource(null, OFFICIAL_INSTALLER, null);
    }

    public static UvSource localFile(Path file) {
        return new UvSource(file, null, null);
    }

    public String describe() {
        return localFile != null ? "uploaded from " + localFile.getFileName() : "installed from " + installerUrl;
    }
}
