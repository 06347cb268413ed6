package dev.litellmdeploy.cli.github;

import dev.litellmdeploy.deployer.bundle.SecretRegistry;

/**
 * GitHub cuts deployment status descriptions at 140 characters: fit them, ending with an ellipsis, cut between code points
 * (an emoji or other character outside the BMP is never split into half a surrogate pair, which GitHub would refuse).
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
        return cut(one, LIMIT, "…");
    }

    /** The text, or its first {@code limit - 1} code points and the ellipsis when it has more than {@code limit}. */
    static String cut(String s, int limit, String ellipsis) {
        if (s.codePointCount(0, s.length()) <= limit) {
            return s;
        }
        return s.substring(0, s.offsetByCodePoints(0, limit - ellipsis.codePointCount(0, ellipsis.length()))) + ellipsis;
    }
}
