package dev.litellmdeploy.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.litellmdeploy.deployer.DeploySettings;
import dev.litellmdeploy.deployer.HelperScript;
import dev.litellmdeploy.deployer.UvSource;
import dev.litellmdeploy.deployer.Wheelhouse;
import picocli.CommandLine.Option;

/** How a deploy runs: shared by plan, deploy, rollback and status. */
public final class DeployOptions {
    @Option(names = "--uv-file", paramLabel = "FILE", defaultValue = "${env:LITELLM_DEPLOY_UV_FILE}",
            description = "A uv release archive (.tar.gz) or installer script on this machine, uploaded when the server has no uv (offline servers).")
    Path uvFile;

    @Option(names = "--wheelhouse", paramLabel = "DIR", defaultValue = "${env:LITELLM_DEPLOY_WHEELHOUSE}",
            description = "The wheelhouse the bundle was built with (`build --wheelhouse`): uploaded once to each server that lacks it"
                    + " (servers without PyPI; docs/offline.md).")
    Path wheelhouse;

    @Option(names = "--uv-installer-url", paramLabel = "URL", defaultValue = UvSource.OFFICIAL_INSTALLER,
            description = "Installer the server downloads when it has no uv (a mirror for networks that cannot reach the default).")
    String uvInstallerUrl;

    @Option(names = "--uv-version", paramLabel = "VERSION", description = "Require this uv version (replace another). Default: any uv present.")
    String uvVersion;

    @Option(names = "--ready-timeout", paramLabel = "DURATION", defaultValue = "10m", converter = DurationConverter.class,
            description = "How long to wait for /health/readiness after a (re)start; a first start downloads Python and LiteLLM.")
    Duration readyTimeout;

    @Option(names = "--lock-timeout", paramLabel = "DURATION", defaultValue = "2m", converter = DurationConverter.class,
            description = "How long to wait for another deploy to the same host to finish.")
    Duration lockTimeout;

    @Option(names = "--keep-releases", paramLabel = "N", defaultValue = "5", description = "Release directories kept on each server.")
    int keepReleases;

    @Option(names = "--parallel", paramLabel = "N", defaultValue = "4", description = "Hosts deployed at once.")
    int parallel;

    @Option(names = "--rolling", description = "One host at a time; stop at the first failure.")
    boolean rolling;

    @Option(names = "--sudo-helper", paramLabel = "PATH", defaultValue = "${env:LITELLM_DEPLOY_SUDO_HELPER}",
            description = {"Call the root helper installed at PATH (" + HelperScript.DEFAULT_PATH + ") instead of sending it through"
                    + " `sudo bash`: for a deploy user whose sudoers entry allows only that file. See `litellm-deploy helper`."})
    String sudoHelper;

    @Option(names = "--settle", paramLabel = "DURATION", defaultValue = "0s", converter = DurationConverter.class,
            description = "After the new release serves its models, require it to stay up (same process, no restart) this long before"
                    + " it is recorded; a crash in that time rolls back.")
    Duration settle;

    @Option(names = "--command-timeout", paramLabel = "DURATION", defaultValue = "2m", converter = DurationConverter.class,
            description = "Limit for each remote command (a systemctl that hangs fails the step, then the deploy rolls back).")
    Duration commandTimeout;

    @Option(names = "--strategy", paramLabel = "restart|blue-green", defaultValue = "${env:LITELLM_DEPLOY_STRATEGY:-restart}",
            description = {"How a changed release replaces the running one. restart: the one service restarts in place (requests fail"
                    + " while LiteLLM starts). blue-green: the new release starts beside the old one on a loopback port, nginx on the"
                    + " public port switches to it once it serves its models, the old one drains. Switching strategy is a deploy."})
    String strategy;

    @Option(names = "--drain-timeout", paramLabel = "DURATION", defaultValue = "5m", converter = DurationConverter.class,
            description = "blue-green: how long the old color may finish its requests (long streams) after the switch.")
    Duration drainTimeout;

    @Option(names = "--keep-old", paramLabel = "DURATION", defaultValue = "5m", converter = DurationConverter.class,
            description = "blue-green: how long the old color keeps running after it drained, so a rollback is a switch back. 0s stops it at once.")
    Duration keepOld;

    @Option(names = "--color-ports", paramLabel = "BLUE,GREEN", split = ",",
            description = "blue-green: the loopback ports of the two colors. Default: the service port + 1 and + 2.")
    List<Integer> colorPorts = new ArrayList<>();

    @Option(names = "--proxy-package", paramLabel = "FILE",
            description = "blue-green: nginx .deb files uploaded and installed when the server has no nginx and no package mirror (repeatable).")
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
                .withWheelhouse(wheelhouse == null ? null : Wheelhouse.read(wheelhouse));
    }
}
