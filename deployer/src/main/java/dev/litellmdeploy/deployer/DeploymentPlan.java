package dev.litellmdeploy.deployer;

import java.util.List;

/**
 * What a deploy will do on one host, computed before anything changes (printed by {@code plan},
 * applied by {@code deploy}). A value: no I/O.
 *
 * @param host          the host
 * @param releaseId     the release directory this bundle becomes
 * @param current       the release the host runs now, or null on a first deploy
 * @param changedFiles  bundle files whose installed copy differs (config.yaml, litellm.env, litellm.service)
 * @param installUv     uv must be installed
 * @param createUser    the service user must be created
 * @param restart       the service will be (re)started
 * @param restartReason why it restarts ("config.yaml changed", "service inactive"...)
 * @param steps         the named steps, in order
 * @param diff          redacted unified diff of the config, empty when equal
 * @param adopting      what this first deploy adopts (a service not made by litellm-deploy, saved as release 0-adopted), or null
 */
public record DeploymentPlan(
        HostTarget host,
        String releaseId,
        String current,
        List<String> changedFiles,
        boolean installUv,
        boolean createUser,
        boolean restart,
        String restartReason,
        List<String> steps,
        String diff,
        String adopting) {

    public DeploymentPlan(HostTarget host, String releaseId, String current, List<String> changedFiles, boolean installUv,
            boolean createUser, boolean restart, String restartReason, List<String> steps, String diff) {
        this(host, releaseId, current, changedFiles, installUv, createUser, restart, restartReason, steps, diff, null);
    }

    public boolean noop() {
        return changedFiles.isEmpty() && !restart && !installUv && !createUser;
    }

    public boolean unitChanged() {
        return changedFiles.contains("litellm.service");
    }
}
