package dev.litellmdeploy.deployer;

import java.util.List;

/**
 * What runs on a host: the current release, the service state, readiness, the releases kept.
 * {@code error} is set (and the rest may be empty) when the host could not be read.
 */
public record HostStatus(HostTarget host, String release, String bundleId, String revision, String activeState, long mainPid,
        boolean ready, List<String> models, List<String> releases, String error) {
}
