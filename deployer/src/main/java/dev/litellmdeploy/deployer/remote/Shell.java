package dev.litellmdeploy.deployer.remote;

/** Quoting for the bash scripts the deployer sends. */
public final class Shell {
    private Shell() {
    }

    /** A single-quoted bash word: safe for any string. */
    public static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
