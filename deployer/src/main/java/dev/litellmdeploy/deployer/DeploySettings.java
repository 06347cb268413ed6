package dev.litellmdeploy.deployer;

import java.time.Duration;

/**
 * Knobs of a deploy, the same for every host of a run.
 *
 * @param layout         remote paths and names
 * @param uv             where uv comes from when missing
 * @param keepReleases   release directories kept (current and previous are never pruned)
 * @param readyTimeout   how long to wait for /health/readiness after a (re)start; a first start downloads Python and LiteLLM
 * @param lockTimeout    how long to wait for another deploy's lock
 * @param commandTimeout limit for each remote command
 * @param actor          who deploys (audit log)
 * @param parallelism    hosts deployed at once (1 with rolling); every host of a parallel stage gets the release whatever another's
 *                       outcome (canary and rolling stop a bad release), so this bounds the deployer's connections, not a release's reach
 * @param rolling        one host at a time, stop at the first failure
 * @param sudoHelper     the installed root helper to call through sudo, or null to send the helper inline (root or full sudo)
 * @param settle         after verify-models, how long the new process must stay up (same PID, no restart) before the release is recorded
 * @param strategy       restart the one service, or blue-green behind nginx
 * @param blueGreen      the blue-green knobs (ports, drain, grace, proxy packages)
 * @param wheelhouse     the local wheelhouse uploaded to a server that lacks it (the one a bundle built with --wheelhouse names), or null
 * @param smoke          the models a deploy sends one chat completion to before it calls the release good (none by default: a request may cost money)
 * @param canary         with several hosts, deploy to this many first (smoke and settle there) and to the rest only when they all succeed; 0: no canary stage
 * @param python         where env-build takes packages and Python from when the release names no wheelhouse (--python-index, --python-install-mirror)
 */
public record DeploySettings(RemoteLayout layout, UvSource uv, int keepReleases, Duration readyTimeout, Duration lockTimeout,
        Duration commandTimeout, String actor, int parallelism, boolean rolling, String sudoHelper, Duration settle, Strategy strategy, BlueGreen blueGreen,
        Wheelhouse wheelhouse, Smoke smoke, int canary, PythonSource python) {

    public static DeploySettings defaults() {
        return new DeploySettings(RemoteLayout.defaults(), UvSource.official(), 5, Duration.ofMinutes(10), Duration.ofMinutes(2),
                Duration.ofMinutes(2), defaultActor(), 32, false, null, Duration.ZERO, Strategy.RESTART,
                BlueGreen.defaults(), null, Smoke.NONE, 0, PythonSource.DEFAULT);
    }

    public DeploySettings withUv(UvSource source) {
        return new DeploySettings(layout, source, keepReleases, readyTimeout, lockTimeout, commandTimeout, actor, parallelism, rolling, sudoHelper, settle, strategy, blueGreen, wheelhouse, smoke, canary, python);
    }

    public DeploySettings withReadyTimeout(Duration timeout) {
        return new DeploySettings(layout, uv, keepReleases, timeout, lockTimeout, commandTimeout, actor, parallelism, rolling, sudoHelper, settle, strategy, blueGreen, wheelhouse, smoke, canary, python);
    }

    public DeploySettings withLockTimeout(Duration timeout) {
        return new DeploySettings(layout, uv, keepReleases, readyTimeout, timeout, commandTimeout, actor, parallelism, rolling, sudoHelper, settle, strategy, blueGreen, wheelhouse, smoke, canary, python);
    }

    public DeploySettings withKeepReleases(int keep) {
        return new DeploySettings(layout, uv, keep, readyTimeout, lockTimeout, commandTimeout, actor, parallelism, rolling, sudoHelper, settle, strategy, blueGreen, wheelhouse, smoke, canary, python);
    }

    public DeploySettings withHosts(int newParallelism, boolean newRolling) {
        return new DeploySettings(layout, uv, keepReleases, readyTimeout, lockTimeout, commandTimeout, actor, newParallelism, newRolling, sudoHelper, settle, strategy, blueGreen, wheelhouse, smoke, canary, python);
    }

    public DeploySettings withActor(String who) {
        return new DeploySettings(layout, uv, keepReleases, readyTimeout, lockTimeout, commandTimeout, who, parallelism, rolling, sudoHelper, settle, strategy, blueGreen, wheelhouse, smoke, canary, python);
    }

    public DeploySettings withSudoHelper(String installedPath) {
        return new DeploySettings(layout, uv, keepReleases, readyTimeout, lockTimeout, commandTimeout, actor, parallelism, rolling, installedPath,
                settle, strategy, blueGreen, wheelhouse, smoke, canary, python);
    }

    public DeploySettings withSettle(Duration time) {
        return new DeploySettings(layout, uv, keepReleases, readyTimeout, lockTimeout, commandTimeout, actor, parallelism, rolling, sudoHelper,
                time, strategy, blueGreen, wheelhouse, smoke, canary, python);
    }

    public DeploySettings withCommandTimeout(Duration timeout) {
        return new DeploySettings(layout, uv, keepReleases, readyTimeout, lockTimeout, timeout, actor, parallelism, rolling, sudoHelper, settle, strategy, blueGreen, wheelhouse, smoke, canary, python);
    }

    public DeploySettings withStrategy(Strategy how, BlueGreen knobs) {
        return new DeploySettings(layout, uv, keepReleases, readyTimeout, lockTimeout, commandTimeout, actor, parallelism, rolling, sudoHelper,
                settle, how, knobs, wheelhouse, smoke, canary, python);
    }

    public DeploySettings withSmoke(Smoke requests) {
        return new DeploySettings(layout, uv, keepReleases, readyTimeout, lockTimeout, commandTimeout, actor, parallelism, rolling, sudoHelper,
                settle, strategy, blueGreen, wheelhouse, requests, canary, python);
    }

    /** What the plan says about smoke requests and the canary stage for these hosts, or null when neither applies. */
    public String stages(dev.litellmdeploy.deployer.bundle.Bundle bundle, java.util.List<HostTarget> hosts) {
        java.util.List<String> smoked = smoke.modelsFor(bundle);
        String smokeText = smoked.isEmpty() ? null : "smoke: one chat completion (max_tokens " + smoke.maxTokens() + ") per host to "
                + String.join(", ", smoked) + (smoke.all() ? " (--smoke-all: every model; each request reaches its provider and may cost money)" : "");
        String canaryText = canary > 0 && hosts.size() > canary ? "canary stage: " + hosts.subList(0, canary).stream().map(HostTarget::toString)
                .collect(java.util.stream.Collectors.joining(", ")) + " first; the other " + (hosts.size() - canary)
                + " only when every canary succeeds (a failed canary stage rolls the canaries back and leaves the rest untouched)" : null;
        if (smokeText == null && canaryText == null) {
            return null;
        }
        return smokeText == null ? canaryText : canaryText == null ? smokeText : smokeText + "\n" + canaryText;
    }

    public DeploySettings withCanary(int hosts) {
        if (hosts < 0) {
            throw new IllegalArgumentException("--canary must be 0 (no canary stage) or more");
        }
        return new DeploySettings(layout, uv, keepReleases, readyTimeout, lockTimeout, commandTimeout, actor, parallelism, rolling, sudoHelper,
                settle, strategy, blueGreen, wheelhouse, smoke, hosts, python);
    }

    public DeploySettings withWheelhouse(Wheelhouse local) {
        return new DeploySettings(layout, uv, keepReleases, readyTimeout, lockTimeout, commandTimeout, actor, parallelism, rolling, sudoHelper,
                settle, strategy, blueGreen, local, smoke, canary, python);
    }

    public DeploySettings withPython(PythonSource source) {
        return new DeploySettings(layout, uv, keepReleases, readyTimeout, lockTimeout, commandTimeout, actor, parallelism, rolling, sudoHelper,
                settle, strategy, blueGreen, wheelhouse, smoke, canary, source);
    }

    /** How a changed release replaces the running one. */
    public enum Strategy {
        /** One service on the public port, restarted in place (requests fail while it starts). */
        RESTART,
        /** Two colors on loopback ports behind nginx: start the idle one, switch, drain the old one. */
        BLUE_GREEN;

        public static Strategy parse(String s) {
            return switch (s == null ? "" : s.strip().toLowerCase(java.util.Locale.ROOT)) {
                case "restart" -> RESTART;
                case "blue-green", "bluegreen", "blue_green" -> BLUE_GREEN;
                default -> throw new IllegalArgumentException("unknown strategy '" + s + "': use restart or blue-green");
            };
        }
    }

    /**
     * Blue-green knobs.
     *
     * @param bluePort      loopback port of the blue color (0: the public port + 1)
     * @param greenPort     loopback port of the green color (0: the public port + 2)
     * @param drainTimeout  how long the old color may finish its requests after the switch
     * @param keepOld       how long the old color keeps running after it drained, so a rollback is an instant switch back
     * @param proxyPackages nginx .deb files to upload when the server has no nginx and no package mirror
     */
    public record BlueGreen(int bluePort, int greenPort, Duration drainTimeout, Duration keepOld, java.util.List<java.nio.file.Path> proxyPackages) {
        public static BlueGreen defaults() {
            return new BlueGreen(0, 0, Duration.ofMinutes(5), Duration.ofMinutes(5), java.util.List.of());
        }

        public int port(String color, int publicPort) {
            int p = "blue".equals(color) ? bluePort : greenPort;
            return p > 0 ? p : publicPort + ("blue".equals(color) ? 1 : 2);
        }
    }

    /** The root helper for these settings' layout: inline, or the installed copy. */
    public dev.litellmdeploy.deployer.remote.RemoteHelper helper() {
        return HelperScript.helper(layout, sudoHelper);
    }

    private static String defaultActor() {
        String gh = System.getenv("GITHUB_ACTOR");
        if (gh != null && !gh.isBlank()) {
            return gh + " (GitHub Actions)";
        }
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            host = "unknown-host";
        }
        return System.getProperty("user.name", "unknown") + "@" + host;
    }
}
