package dev.litellmdeploy.builder;

/** Compares LiteLLM release numbers ("1.80.9", "1.108.7", "1.81.0rc1") by their leading numeric parts. */
final class LiteLLMVersion {
    private LiteLLMVersion() {
    }

    /** Whether {@code version} is {@code floor} or later; false when the version is unknown or not numeric. */
    static boolean atLeast(String version, String floor) {
        if (version == null || !version.matches("\\d+(\\.\\d+)*.*")) {
            return false;
        }
        int[] v = parts(version);
        int[] f = parts(floor);
        for (int i = 0; i < Math.max(v.length, f.length); i++) {
            int a = i < v.length ? v[i] : 0;
            int b = i < f.length ? f[i] : 0;
            if (a != b) {
                return a > b;
            }
        }
        return true;
    }

    private static int[] parts(String version) {
        String numeric = version.replaceFirst("^(\\d+(?:\\.\\d+)*).*$", "$1");
        String[] pieces = numeric.split("\\.");
        int[] out = new int[pieces.length];
        for (int i = 0; i < pieces.length; i++) {
            out[i] = Integer.parseInt(pieces[i].length() > 9 ? pieces[i].substring(0, 9) : pieces[i]);
        }
        return out;
    }
}
