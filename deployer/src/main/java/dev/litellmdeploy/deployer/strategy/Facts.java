package dev.litellmdeploy.deployer.strategy;

import java.util.List;

import dev.litellmdeploy.deployer.DeploySettings;
import dev.litellmdeploy.deployer.Drift;
import dev.litellmdeploy.deployer.HostState;
import dev.litellmdeploy.deployer.bundle.Bundle;

/**
 * What a strategy builds its steps from (computed by the planner, pure).
 *
 * @param release       the release the bundle becomes (the current one when nothing changes)
 * @param restored      what runs again if the deploy is undone: the current release, the adopted setup, or null (nothing ran)
 * @param changed       bundle files whose installed copy differs
 * @param restartReason why the service (re)starts, or null when it does not
 * @param drift         what the host holds that its recorded release does not say (the deploy repairs it)
 */
public record Facts(String release, String restored, HostState state, Bundle bundle, DeploySettings settings, List<String> changed,
        String restartReason, Drift drift) {

    public Facts(String release, String restored, HostState state, Bundle bundle, DeploySettings settings, List<String> changed,
            String restartReason) {
        this(release, restored, state, bundle, settings, changed, restartReason, Drift.none());
    }

    /** The audit line's result for the commit: {@code base}, and what drift the deploy repaired. */
    public String recordResult(String base) {
        return drift.drifted() ? base + ", " + drift.audit() : base;
    }

    public int port() {
        return bundle.manifest().port();
    }
}
