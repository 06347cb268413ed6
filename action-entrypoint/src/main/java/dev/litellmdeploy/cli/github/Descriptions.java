package dev.litellmdeploy.cli.github;

/** GitHub cuts deployment status descriptions at 140 characters: fit them, ending with an ellipsis. */
final class Descriptions {
    static final int LIMIT = 140;

    private Descriptions() {
    }

    static String fit(String s) {
        if (s == null) {
            return "";
        }
        String one = s.replaceAll("\\s+", " ").strip();
        return one.length() <= LIMIT ? one : one.substring(0, LIMIT - 1) + "…";
    }
}
