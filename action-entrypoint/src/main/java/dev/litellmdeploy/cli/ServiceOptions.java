package dev.litellmdeploy.cli;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.litellmdeploy.builder.BundleOptions;
import picocli.CommandLine.Option;

/** How the service is set up on the server: shared by build, plan and deploy. */
public final class ServiceOptions {
    @Option(names = "--litellm-version", paramLabel = "VERSION", defaultValue = "${env:LITELLM_VERSION:-" + BundleOptions.DEFAULT_LITELLM_VERSION + "}",
            description = "LiteLLM version pinned in the unit (env: LITELLM_VERSION).")
    String litellmVersion;

    @Option(names = "--python-version", paramLabel = "VERSION", defaultValue = "3.11", description = "Python version uv runs LiteLLM with.")
    String pythonVersion;

    @Option(names = "--listen-host", paramLabel = "ADDR", defaultValue = "0.0.0.0", description = "Address the proxy listens on.")
    String listenHost;

    @Option(names = "--service-port", paramLabel = "PORT", defaultValue = "4000", description = "Port the proxy listens on (1-65535).")
    int port;

    @Option(names = "--env-file", description = "Move secrets out of config.yaml into litellm.env (installed 0600), referenced as os.environ/NAME.")
    boolean envFile;

    @Option(names = "--allow-no-auth", description = "Accept a config without general_settings.master_key on a non-loopback address.")
    boolean allowNoAuth;

    @Option(names = "--unit-env", paramLabel = "NAME=VALUE",
            description = "Extra environment for the unit, repeatable (e.g. UV_INDEX_URL=https://mirror/simple). Not for secrets.")
    Map<String, String> unitEnv = new LinkedHashMap<>();

    @Option(names = "--revision", paramLabel = "REV",
            description = "Source revision recorded in the manifest. Default: $GITHUB_SHA when set.")
    String revision;

    BundleOptions toBundleOptions() {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("--service-port must be between 1 and 65535, not " + port);
        }
        return BundleOptions.defaults().withLitellmVersion(litellmVersion).withListen(listenHost, port)
                .withEnvFileMode(envFile).withAllowNoAuth(allowNoAuth).withEnvironment(unitEnv).withSourceRevision(revision != null ? revision : System.getenv("GITHUB_SHA"))
                .withPythonVersion(pythonVersion);
    }
}
