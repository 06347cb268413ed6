package dev.litellmdeploy.deployer;

import java.util.List;

/**
 * How the deploy went on one host.
 *
 * @param outcome   SUCCESS, NOOP, FAILED_ROLLED_BACK, FAILED (nothing installed / service stopped), ROLLBACK_FAILED, NOT_ATTEMPTED, CONNECTION_FAILED
 * @param release   the release running now (the new one on success, the restored one after a rollback)
 * @param message   what happened, for people (redacted); the journal tail on a failed start
 */
public record HostResult(HostTarget host, Outcome outcome, DeploymentPlan plan, String release, List<StepTiming> steps, String message) {

    public enum Outcome {
        SUCCESS, NOOP, FAILED_ROLLED_BACK, FAILED, ROLLBACK_FAILED, CONNECTION_FAILED, NOT_ATTEMPTED;

        public boolean ok() {
            return this == SUCCESS || this == NOOP;
        }
    }

    public boolean changed() {
        return outcome == Outcome.SUCCESS;
    }
}
