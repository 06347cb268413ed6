package dev.litellmdeploy.deployer;

import java.util.List;

/**
 * What runs on a host: the current release, the service state, readiness, the releases kept.
 * {@code error} is set (and the rest may be empty) when the host could not be read. For a host
 * deployed blue-green, {@code blueGreen} says which color is live, what each color holds and runs,
 * and whether the proxy site is the one the deployer wrote (else null). {@code drift}: what the host
 * holds that its recorded release does not say (installed files, drop-ins, the proxy site, the helper). {@code history}: the
 * last runs the host's audit log records, oldest first (what each did; for a failed one where and why it failed and what
 * was restored). {@code pythonEnv}: the Python environment the current release runs (null when no release is recorded).
 */
public record HostStatus(HostTarget host, String release, String bundleId, String revision, String activeState, long mainPid,
        boolean ready, List<String> models, List<String> releases, String error, BlueGreenState blueGreen, Drift drift,
        List<AuditEntry> history, PythonEnvStatus pythonEnv) {

    public HostStatus(HostTarget host, String release, String bundleId, String revision, String activeState, long mainPid,
            boolean ready, List<String> models, List<String> releases, String error, BlueGreenState blueGreen, Drift drift,
            List<AuditEntry> history) {
        this(host, release, bundleId, revision, activeState, mainPid, ready, models, releases, error, blueGreen, drift, history, null);
    }

    public HostStatus(HostTarget host, String release, String bundleId, String revision, String activeState, long mainPid,
            boolean ready, List<String> models, List<String> releases, String error, BlueGreenState blueGreen, Drift drift) {
        this(host, release, bundleId, revision, activeState, mainPid, ready, models, releases, error, blueGreen, drift, List.of());
    }

    public HostStatus(HostTarget host, String release, String bundleId, String revision, String activeState, long mainPid,
            boolean ready, List<String> models, List<String> releases, String error, BlueGreenState blueGreen) {
        this(host, release, bundleId, revision, activeState, mainPid, ready, models, releases, error, blueGreen, Drift.none());
    }

    /** One line of the host's audit log (written by the helper; {@code result} and {@code actor} are the deployer's words). */
    public record AuditEntry(String time, String release, String result, String actor) {
    }
}
