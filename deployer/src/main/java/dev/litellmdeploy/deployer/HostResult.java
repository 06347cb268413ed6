package dev.litellmdeploy.deployer;

import java.util.List;

/**
 * How a run went on one host: the exact outcome (decided by the step runner from what ran and what its undos restored,
 * never read from a message), the release running now, the steps with their timings, and a message for people.
 *
 * @param plan      the plan that ran (null when the run stopped before there was one: connection, lock)
 * @param release   the release running now: the new one on success, the restored one after an undo, null when none runs or it is unknown
 * @param message   what happened, for people (redacted); the journal tail on a failed start
 */
public record HostResult(HostTarget host, Outcome outcome, DeploymentPlan plan, String release, List<StepTiming> steps, String message) {

    /** Every way a run can end on a host; the CLI maps each to one exit code. */
    public enum Outcome {
        /** The new release is live, proven and recorded. */
        SUCCESS,
        /** The host already ran this bundle (or: only planned); nothing changed. */
        NOOP,
        /** Failed before anything that serves changed; the host runs what it ran before, untouched. */
        FAILED_NOTHING_CHANGED,
        /** Failed after a change; the release that ran before was restored and proven ready. */
        FAILED_ROLLED_BACK,
        /** A first deploy failed: nothing ran before, and the failed service was stopped and disabled. */
        FAILED_FIRST_DEPLOY_STOPPED,
        /** Failed, and putting the previous state back failed too (or the connection did not come back): the host needs a look. */
        ROLLBACK_FAILED,
        /** The new release is live, proven and recorded, but a clean-up after the commit (draining, retiring the old color) failed. */
        DEPLOYED_CLEANUP_FAILED,
        /** No connection, host key, authentication or sudo; nothing was changed. */
        CONNECTION_FAILED,
        /** Rolling: an earlier host failed, so this one was not touched. */
        NOT_ATTEMPTED;

        public boolean ok() {
            return this == SUCCESS || this == NOOP;
        }
    }

    /** The host runs a release it did not run before. */
    public boolean changed() {
        return outcome == Outcome.SUCCESS || outcome == Outcome.DEPLOYED_CLEANUP_FAILED;
    }
}
