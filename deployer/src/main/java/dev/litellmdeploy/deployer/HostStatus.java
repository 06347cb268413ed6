package dev.litellmdeploy.deployer;

import java.util.List;

/**
 * What runs on a host: the current release, the service state, readiness, the releases kept.
 * {@code error} is set (and the rest may be empty) when the host could not be read. For a host
 * deployed blue-green, {@code blueGreen} says which color is live, what each color holds and runs,
 * and whether the proxy site is the one the deployer wrote (else null). {@code drift}: what the host
 * holds that its recorded release does not say (installed files, drop-ins, the proxy site, the helper).
 */
public record HostStatus(HostTarget host, String release, String bundleId, String revision, String activeState, long mainPid,
        boolean ready, List<String> models, List<String> releases, String error, BlueGreenState blueGreen, Drift drift) {

    public HostStatus(HostTarget host, String release, String bundleId, String revision, String activeState, long mainPid,
            boolean ready, List<String> models, List<String> releases, String error, BlueGreenState blueGreen) {
        this(host, release, bundleId, revision, activeState, mainPid, ready, models, releases, error, blueGreen, Drift.none());
    }
}
