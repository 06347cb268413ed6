package dev.litellmdeploy.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.litellmdeploy.deployer.DeploySettings;
import dev.litellmdeploy.deployer.PythonSource;
import dev.litellmdeploy.deployer.UvSource;
import dev.litellmdeploy.deployer.Wheelhouse;
import picocli.CommandLine.Option;

/** How a deploy runs: shared by plan, deploy, rollback and status. Texts and defaults: {@link OptionTable}. */
public final class DeployOptions {
    @Option(names = "--uv-file", paramLabel = "FILE")
    Path uvFile;

    @Option(names = "--wheelhouse", paramLabel = "DIR")
    Path wheelhouse;

    @Option(names = "--uv-installer-url", paramLabel = "URL")
    String uvInstallerUrl;

    @Option(names = "--uv-version", paramLabel = "VERSION")
    String uvVersion;

    @Option(names = "--python-index", paramLabel = "URL")
    String pythonIndex;

    @Option(names = "--python-install-mirror", paramLabel = "URL")
    String pythonInstallMirror;

    @Option(names = "--ready-timeout", paramLabel = "DURATION", converter = DurationConverter.class)
    Duration readyTimeout;

    @Option(names = "--lock-timeout", paramLabel = "DURATION", converter = DurationConverter.class)
    Duration lockTimeout;

    @Option(names = "--keep-releases", paramLabel = "N")
    int keepReleases;

    @Option(names = "--parallel", paramLabel = "N")
    int parallel;

    @Option(names = "--rolling")
    boolean rolling;

    @Option(names = "--sudo-helper", paramLabel = "PATH")
    String sudoHelper;

    @Option(names = "--settle", paramLabel = "DURATION", converter = DurationConverter.class)
    Duration settle;

    @Option(names = "--smoke", paramLabel = "MODEL", split = ",")
    List<String> smoke = new ArrayList<>();

    @Option(names = "--smoke-all")
    boolean smokeAll;

    @Option(names = "--canary", paramLabel = "N")
    int canary;

    @Option(names = "--command-timeout", paramLabel = "DURATION", converter = DurationConverter.class)
    Duration commandTimeout;

    @Option(names = "--strategy", paramLabel = "restart|blue-green")
    String strategy;

    @Option(names = "--drain-timeout", paramLabel = "DURATION", converter = DurationConverter.class)
    Duration drainTimeout;

    @Option(names = "--keep-old", paramLabel = "DURATION", converter = DurationConverter.class)
    Duration keepOld;

    @Option(names = "--color-ports", paramLabel = "BLUE,GREEN", split = ",")
    List<Integer> colorPorts = new ArrayList<>();

    @Option(names = "--proxy-package", paramLabel = "FILE")
    List<Path> proxyPackages = new ArrayList<>();

    DeploySettings settings() {
        if (keepReleases < 2) {
            throw new IllegalArgumentException("--keep-releases must be at least 2 (the current release and one to roll back to)");
        }
        if (!colorPorts.isEmpty() && (colorPorts.size() != 2 || colorPorts.stream().anyMatch(p -> p < 1 || p > 65535)
                || colorPorts.get(0).equals(colorPorts.get(1)))) {
            throw new IllegalArgumentException("--color-ports needs two different ports (1-65535), like 4001,4002");
        }
        DeploySettings.BlueGreen blueGreen = new DeploySettings.BlueGreen(colorPorts.isEmpty() ? 0 : colorPorts.get(0),
                colorPorts.isEmpty() ? 0 : colorPorts.get(1), drainTimeout, keepOld, List.copyOf(proxyPackages));
        UvSource uv = uvFile != null ? new UvSource(uvFile, null, uvVersion) : new UvSource(null, uvInstallerUrl, uvVersion);
        return DeploySettings.defaults().withUv(uv).withReadyTimeout(readyTimeout).withLockTimeout(lockTimeout)
                .withKeepReleases(keepReleases).withHosts(Math.max(1, parallel), rolling).withSudoHelper(sudoHelper).withSettle(settle)
                .withCommandTimeout(commandTimeout).withStrategy(DeploySettings.Strategy.parse(strategy), blueGreen)
                .withWheelhouse(wheelhouse == null ? null : Wheelhouse.read(wheelhouse)).withSmoke(dev.litellmdeploy.deployer.Smoke.of(smoke, smokeAll))
                .withCanary(canary).withPython(PythonSource.of(pythonIndex, pythonInstallMirror));
    }
}
