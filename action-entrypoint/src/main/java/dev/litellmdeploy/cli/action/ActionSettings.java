package dev.litellmdeploy.cli.action;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.litellmdeploy.builder.BundleOptions;
import dev.litellmdeploy.cli.BuildCommand;
import dev.litellmdeploy.cli.DurationConverter;
import dev.litellmdeploy.deployer.DeploySettings;
import dev.litellmdeploy.deployer.HostTarget;
import dev.litellmdeploy.deployer.UvSource;
import dev.litellmdeploy.deployer.Wheelhouse;
import dev.litellmdeploy.deployer.ssh.HostKeyPolicy;
import dev.litellmdeploy.deployer.ssh.SshSettings;

/**
 * The action's inputs checked and turned into the builder's and deployer's settings. Every problem
 * is collected (input name and what is wrong, never a value) before anything runs.
 */
record ActionSettings(List<HostTarget> hosts, SshSettings ssh, Path templates, Path secrets, Path config, BundleOptions bundle,
        DeploySettings deploy, String environment, String environmentUrl, String token, boolean dryRun) {

    /** Every input name the entrypoint reads (action.yml must declare exactly these; a test checks). */
    static final List<String> INPUTS = List.of("host", "hosts", "port", "username", "ssh-key", "ssh-key-passphrase", "known-hosts",
            "fingerprint", "accept-new-host-key", "jump-host", "templates", "secrets", "config", "litellm-version", "service-port",
            "listen-host", "env-file", "allow-no-auth", "environment", "environment-url", "github-token", "dry-run", "health-timeout",
            "keep-releases", "rolling", "parallel", "uv-file", "uv-installer-url", "sudo-helper", "settle", "strategy",
            "drain-timeout", "keep-old", "wheelhouse");

    static ActionSettings from(ActionInputs in, GitHubContext gh, List<String> problems) {
        Path workspace = Path.of(gh.workspace());
        List<HostTarget> hosts = new ArrayList<>();
        List<String> specs = new ArrayList<>(in.list("hosts"));
        if (in.get("host") != null) {
            specs.addAll(0, in.list("host"));
        }
        int port = number(in, "port", 22, 1, 65535, problems);
        for (String spec : specs) {
            try {
                hosts.add(HostTarget.parse(spec, port));
            } catch (IllegalArgumentException e) {
                problems.add("input host/hosts: " + e.getMessage());
            }
        }
        if (specs.isEmpty()) {
            problems.add("input host (or hosts) is required: the server(s) to deploy to");
        }
        String key = in.raw("ssh-key");
        if (key == null) {
            problems.add("input ssh-key is required: the private key for username on the server(s)");
        }
        String knownHosts = in.raw("known-hosts");
        List<String> pins = in.list("fingerprint");
        boolean acceptNew = flag(in, "accept-new-host-key", problems);
        if (knownHosts == null && pins.isEmpty() && !acceptNew) {
            problems.add("input known-hosts or fingerprint is required: how to verify the server's host key"
                    + " (ssh-keyscan HOST, checked out of band; or accept-new-host-key: true to trust on first use)");
        }
        Path templates = path(workspace, in.get("templates"));
        Path config = path(workspace, in.get("config"));
        if ((templates == null) == (config == null)) {
            problems.add("give exactly one of the inputs templates (a templates directory) or config (a ready config.yaml)");
        }
        int servicePort = number(in, "service-port", 4000, 1, 65535, problems);
        BundleOptions bundle = BundleOptions.defaults();
        try {
            bundle = BundleOptions.defaults().withLitellmVersion(in.get("litellm-version", BundleOptions.DEFAULT_LITELLM_VERSION))
                    .withListen(in.get("listen-host", "0.0.0.0"), servicePort).withEnvFileMode(flag(in, "env-file", problems))
                    .withAllowNoAuth(flag(in, "allow-no-auth", problems)).withSourceRevision(gh.sha());
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage() + " (inputs litellm-version, listen-host)");
        }
        Wheelhouse wheelhouse = null;
        if (in.get("wheelhouse") != null) {
            try {
                wheelhouse = Wheelhouse.read(path(workspace, in.get("wheelhouse")));
                bundle = BuildCommand.withWheelhouse(bundle, wheelhouse);
            } catch (RuntimeException e) {
                problems.add("input wheelhouse: " + e.getMessage());
            }
        }
        Duration ready = duration(in, "health-timeout", "10m", problems);
        Path uvFile = path(workspace, in.get("uv-file"));
        UvSource uv = uvFile != null ? new UvSource(uvFile, null, null) : new UvSource(null, in.get("uv-installer-url", UvSource.OFFICIAL_INSTALLER), null);
        DeploySettings deploy = DeploySettings.defaults().withUv(uv).withReadyTimeout(ready)
                .withKeepReleases(number(in, "keep-releases", 5, 2, 100, problems))
                .withHosts(number(in, "parallel", 4, 1, 64, problems), flag(in, "rolling", problems))
                .withSudoHelper(in.get("sudo-helper")).withSettle(duration(in, "settle", "0s", problems))
                .withStrategy(strategy(in, problems), new DeploySettings.BlueGreen(0, 0, duration(in, "drain-timeout", "5m", problems),
                        duration(in, "keep-old", "5m", problems), List.of()))
                .withActor(gh.actor() + " via GitHub Actions run " + gh.runId()).withWheelhouse(wheelhouse);
        SshSettings ssh = new SshSettings(in.get("username", "root"), key, in.raw("ssh-key-passphrase"),
                new HostKeyPolicy(knownHosts, pins, acceptNew), in.get("jump-host"), null);
        return new ActionSettings(hosts, ssh, templates, path(workspace, in.get("secrets")), config, bundle, deploy,
                in.get("environment", "production"), in.get("environment-url"), in.raw("github-token"), flag(in, "dry-run", problems));
    }

    private static Path path(Path workspace, String value) {
        return value == null ? null : workspace.resolve(value).normalize();
    }

    private static int number(ActionInputs in, String name, int fallback, int min, int max, List<String> problems) {
        try {
            return in.number(name, fallback, min, max);
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
            return fallback;
        }
    }

    private static boolean flag(ActionInputs in, String name, List<String> problems) {
        try {
            return in.flag(name);
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
            return false;
        }
    }

    private static Duration duration(ActionInputs in, String name, String fallback, List<String> problems) {
        try {
            return new DurationConverter().convert(in.get(name, fallback));
        } catch (RuntimeException e) {
            problems.add("input " + name + ": " + e.getMessage());
            return new DurationConverter().convert(fallback);
        }
    }

    private static DeploySettings.Strategy strategy(ActionInputs in, List<String> problems) {
        try {
            return DeploySettings.Strategy.parse(in.get("strategy", "restart"));
        } catch (IllegalArgumentException e) {
            problems.add("input strategy: " + e.getMessage());
            return DeploySettings.Strategy.RESTART;
        }
    }
}
