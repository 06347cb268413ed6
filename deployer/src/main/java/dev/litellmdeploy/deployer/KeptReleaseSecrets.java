package dev.litellmdeploy.deployer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import dev.litellmdeploy.deployer.bundle.BundleException;
import dev.litellmdeploy.deployer.bundle.SecretMask;
import dev.litellmdeploy.deployer.remote.RemoteCommandException;
import dev.litellmdeploy.deployer.remote.RemoteHost;

/**
 * The secrets of every release kept on a host, as one mask: the journal still holds what older
 * releases printed, so a key rotated out must be hidden as well as the current one. The current
 * release must be readable (as before); an older one that cannot be read as a bundle any more
 * (changed after it was recorded) is left out, since its secrets cannot be known.
 */
final class KeptReleaseSecrets {
    private KeptReleaseSecrets() {
    }

    static SecretMask of(RemoteHost host, RemoteLayout layout, HostState state, Duration timeout)
            throws RemoteCommandException, BundleException {
        Set<String> secrets = new LinkedHashSet<>();
        if (state.currentRelease() != null && !Adoption.ID.equals(state.currentRelease())) {
            secrets.addAll(RemoteRelease.load(host, layout, state.currentRelease(), timeout).secrets());
        }
        for (String release : state.releases()) {
            // the adopted setup has no manifest and no known secrets: it is the admin's own files
            if (!release.equals(state.currentRelease()) && !Adoption.ID.equals(release)) {
                try {
                    secrets.addAll(RemoteRelease.load(host, layout, release, timeout).secrets());
                } catch (BundleException | RemoteCommandException e) {
                    // its secrets cannot be known; the others are still masked
                }
            }
        }
        return new SecretMask(List.copyOf(new ArrayList<>(secrets)));
    }
}
