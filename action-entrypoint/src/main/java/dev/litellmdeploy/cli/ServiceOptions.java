package dev.litellmdeploy.cli;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.litellmdeploy.builder.BundleOptions;
import picocli.CommandLine.Option;

/** How the service is set up on the server (build). Texts and defaults: {@link OptionTable}. */
public final class ServiceOptions {
    @Option(names = "--litellm-version", paramLabel = "VERSION")
    String litellmVersion;

    @Option(names = "--python-version", paramLabel = "VERSION")
    String pythonVersion;

    @Option(names = "--listen-host", paramLabel = "ADDR")
    String listenHost;

    @Option(names = "--service-port", paramLabel = "PORT")
    int port;

    @Option(names = "--env-file")
    boolean envFile;

    @Option(names = "--allow-no-auth")
    boolean allowNoAuth;

    @Option(names = "--unit-env", paramLabel = "NAME=VALUE")
    Map<String, String> unitEnv = new LinkedHashMap<>();

    @Option(names = "--revision", paramLabel = "REV")
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
