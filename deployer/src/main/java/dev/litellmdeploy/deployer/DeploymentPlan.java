package dev.litellmdeploy.deployer;

import java.util.ArrayList;
import java.util.List;

import dev.litellmdeploy.deployer.steps.Step;

/**
 * What a deploy (or rollback) will do on one host, computed before anything changes: the facts a person reads (what
 * changes, why it restarts, the redacted diff) and the {@code program}, the steps that will run, in order, with their
 * arguments. {@code plan} prints the program; {@code deploy} runs exactly it. A value: no I/O.
 *
 * @param host          the host
 * @param releaseId     the release directory this bundle becomes
 * @param current       the release the host runs now, or null on a first deploy
 * @param changedFiles  bundle files whose installed copy differs (config.yaml, litellm.env, litellm.service)
 * @param installUv     uv must be installed
 * @param createUser    the service user must be created
 * @param restart       the service will be (re)started
 * @param restartReason why it restarts ("config.yaml changed", "service inactive"...)
 * @param program       the steps after the diff, in order (the lock's steps before them and unlock after are the same for every plan)
 * @param diff          redacted unified diff of the config, empty when equal
 * @param adopting      what this first deploy adopts (a service not made by litellm-deploy, saved as release 0-adopted), or null
 * @param drift         what the host holds that its recorded release does not say; this deploy repairs it (its repair-drift step)
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
        List<Step> program,
        String diff,
        String adopting,
        Drift drift) {

    /** The steps every run has before the program (one SSH connection, the lock's round trip, the plan itself). */
    public static final List<String> OPENING = List.of("connect", "preflight", "lock", "read-current", "diff");
    /** The step every run ends with. */
    public static final String CLOSING = "unlock";

    public DeploymentPlan {
        changedFiles = List.copyOf(changedFiles);
        program = List.copyOf(program);
        drift = drift == null ? Drift.none() : drift;
    }

    public DeploymentPlan(HostTarget host, String releaseId, String current, List<String> changedFiles, boolean installUv, boolean createUser,
            boolean restart, String restartReason, List<Step> program, String diff, String adopting) {
        this(host, releaseId, current, changedFiles, installUv, createUser, restart, restartReason, program, diff, adopting, Drift.none());
    }

    /** Every step's name, in the order they run: the opening, the program, unlock. */
    public List<String> steps() {
        List<String> names = new ArrayList<>(OPENING);
        program.forEach(s -> names.add(s.name()));
        names.add(CLOSING);
        return List.copyOf(names);
    }

    public boolean noop() {
        return changedFiles.isEmpty() && !restart && !installUv && !createUser && !drift.drifted();
    }

    public boolean unitChanged() {
        return changedFiles.contains("litellm.service");
    }

    /** What runs if this plan fails and is undone: the adopted setup, or the current release (null: nothing). */
    public String restoredRelease() {
        return adopting != null ? Adoption.ID : current;
    }
}
