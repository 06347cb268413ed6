package dev.litellmdeploy.deployer.steps;

/** Where a step stands relative to the service, which decides what its failure means. */
public enum Phase {
    /** Before anything the running service uses changes (upload, uv, user, wheelhouse, proxy package, adopt). */
    PREPARE,
    /** Changes or proves what serves (install, restart, start, switch, readiness): a failure unwinds the undo stack. */
    CHANGE,
    /** Records the release as current: the last step whose failure unwinds. */
    COMMIT,
    /** After the commit (draining and retiring the old color): a failure leaves the new release live and recorded. */
    CLEANUP,
    /** Part of an undo. */
    UNDO
}
