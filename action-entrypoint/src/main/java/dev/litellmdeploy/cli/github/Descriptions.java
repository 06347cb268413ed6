package dev.litellmdeploy.cli.github;

import dev.litellmdeploy.deployer.bundle.SecretRegistry;

/**
 * GitHub cuts deployment status descriptions at 140 characters: fit them, ending with an ellipsis.
 * Every known secret is masked first (a status is output that leaves this machine).
 */
final class Descriptions {
    static final int LIMIT = 140;

    private Descriptions() {
    }

    static String fit(String s) {
        if (s == null) {
            return "";
        }
        String one = SecretRegistry.global().apply(s, "***").replaceAll("\\s+", " ").strip();
        return one.length() <= LIMIT ? one : one.substring(0, LIMIT - 1) + "…";
    }
}
