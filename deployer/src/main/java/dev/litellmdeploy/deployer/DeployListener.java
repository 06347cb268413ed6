package dev.litellmdeploy.deployer;

import java.time.Duration;

/** Hears what a deploy does, step by step, per host (for console output, logs, job summaries). */
public interface DeployListener {
    default void planned(DeploymentPlan plan) {
    }

    default void stepStarted(HostTarget host, String step) {
    }

    default void stepFinished(HostTarget host, String step, Duration took, String detail) {
    }

    /** A line of progress while a step waits (lock, readiness). */
    default void progress(HostTarget host, String step, String message) {
    }

    /** A host's outcome, with the message users see. */
    default void finished(HostResult result) {
    }

    DeployListener NONE = new DeployListener() {
    };
}
