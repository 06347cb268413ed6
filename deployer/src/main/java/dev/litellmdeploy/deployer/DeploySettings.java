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
 * @param parallelism    hosts deployed at once (1 with rolling)
 * @param rolling        one host at a time, stop at the first failure
 * @param sudoHelper     the installed root helper to call through sudo, or null to send the helper inline (root or full sudo)
 * @param settle         after verify-models, how long the new process must stay up (same PID, no restart) before the release is recorded
 */
public record DeploySettings(RemoteLayout layout, UvSource uv, int keepReleases, Duration readyTimeout, Duration lockTimeout,
        Duration commandTimeout, String actor, int parallelism, boolean rolling, String sudoHelper, Duration settle) {

    public static DeploySettings defaults() {
        return new DeploySettings(RemoteLayout.defaults(), UvSource.official(), 5, Duration.ofMinutes(10), Duration.ofMinutes(2),
                Duration.ofMinutes(2), defaultActor(), 4, false, null, Duration.ZERO);
    }

    public DeploySettings withUv(UvSource source) {
        return new DeploySettings(layout, source, keepReleases, readyTimeout, lockTimeout, commandTimeout, actor, parallelism, rolling, sudoHelper, settle);
    }

    public DeploySettings withReadyTimeout(Duration timeout) {
        return new DeploySettings(layout, uv, keepReleases, timeout, lockTimeout, commandTimeout, actor, parallelism, rolling, sudoHelper, settle);
    }

    public DeploySettings withLockTimeout(Duration timeout) {
        return new DeploySettings(layout, uv, keepReleases, readyTimeout, timeout, commandTimeout, actor, parallelism, rolling, sudoHelper, settle);
    }

    public DeploySettings withKeepReleases(int keep) {
        return new DeploySettings(layout, uv, keep, readyTimeout, lockTimeout, commandTimeout, actor, parallelism, rolling, sudoHelper, settle);
    }

    public DeploySettings withHosts(int newParallelism, boolean newRolling) {
        return new DeploySettings(layout, uv, keepReleases, readyTimeout, lockTimeout, commandTimeout, actor, newParallelism, newRolling, sudoHelper, settle);
    }

    public DeploySettings withActor(String who) {
        return new DeploySettings(layout, uv, keepReleases, readyTimeout, lockTimeout, commandTimeout, who, parallelism, rolling, sudoHelper, settle);
    }

    public DeploySettings withSudoHelper(String installedPath) {
        return new DeploySettings(layout, uv, keepReleases, readyTimeout, lockTimeout, commandTimeout, actor, parallelism, rolling, installedPath,
                settle);
    }

    public DeploySettings withSettle(Duration time) {
        return new DeploySettings(layout, uv, keepReleases, readyTimeout, lockTimeout, commandTimeout, actor, parallelism, rolling, sudoHelper,
                time);
    }

    public DeploySettings withCommandTimeout(Duration timeout) {
        return new DeploySettings(layout, uv, keepReleases, readyTimeout, lockTimeout, timeout, actor, parallelism, rolling, sudoHelper, settle);
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
