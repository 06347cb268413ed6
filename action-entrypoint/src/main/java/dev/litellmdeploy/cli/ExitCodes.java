package dev.litellmdeploy.cli;

/** The documented exit codes (also listed in {@code litellm-deploy --help}). */
public final class ExitCodes {
    public static final int OK = 0;
    public static final int INTERNAL = 1;
    public static final int USAGE = 2;
    public static final int INVALID_INPUT = 3;
    public static final int CONNECTION = 4;
    public static final int ROLLED_BACK = 5;
    public static final int ROLLBACK_FAILED = 6;
    public static final int CLEANUP_FAILED = 7;
    /** status --check: a host drifted, is not ready, or runs another release than expected. */
    public static final int CHECK_FAILED = 8;

    private ExitCodes() {
    }
}
