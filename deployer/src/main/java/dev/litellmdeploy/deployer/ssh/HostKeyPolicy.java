package dev.litellmdeploy.deployer.ssh;

import java.util.List;

/**
 * How a server's host key is trusted. At least one of: known_hosts content (OpenSSH format,
 * hashed entries and [host]:port included), pinned fingerprints ({@code SHA256:...}), or the
 * explicit trust-on-first-use flag. A key that contradicts known_hosts or the pins always fails.
 */
public record HostKeyPolicy(String knownHosts, List<String> fingerprints, boolean acceptNew) {
    public HostKeyPolicy {
        knownHosts = knownHosts == null ? "" : knownHosts;
        fingerprints = fingerprints == null ? List.of() : List.copyOf(fingerprints);
    }

    public static HostKeyPolicy knownHosts(String content) {
        return new HostKeyPolicy(content, List.of(), false);
    }

    public static HostKeyPolicy fingerprint(String... pins) {
        return new HostKeyPolicy("", List.of(pins), false);
    }

    public boolean isEmpty() {
        return knownHosts.isBlank() && fingerprints.isEmpty() && !acceptNew;
    }
}
