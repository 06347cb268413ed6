package dev.litellmdeploy.deployer.strategy;

import java.util.List;

import dev.litellmdeploy.deployer.DeploySettings;
import dev.litellmdeploy.deployer.HostState;
import dev.litellmdeploy.deployer.bundle.Bundle;
import dev.litellmdeploy.deployer.steps.Step;

/**
 * How a release goes live on a host: the steps after the prepare steps (upload, uv, user), each with its undo. One type
 * per strategy, chosen once per run; moving a host from one strategy to the other is part of the new strategy's steps
 * (restart: leave-blue-green; blue-green: the single service drains after the switch).
 */
public interface Strategy {

    /** The steps that put {@code facts.release()} live, prove it and record it (and, after the commit, clean up). */
    List<Step> deploy(Facts facts);

    /** The steps that put a kept release live again; {@code release} is that release read back from the host. */
    List<Step> rollback(String to, HostState state, Bundle release, DeploySettings settings);

    /** The strategy a deploy uses (the settings say). */
    static Strategy forDeploy(DeploySettings settings) {
        return settings.strategy() == DeploySettings.Strategy.BLUE_GREEN ? new BlueGreenStrategy() : new RestartStrategy();
    }

    /** The strategy a rollback uses: the host's (a blue-green host switches colors back). */
    static Strategy forRollback(HostState state) {
        return state.blueGreen().deployed() ? new BlueGreenStrategy() : new RestartStrategy();
    }
}
