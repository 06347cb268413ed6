package dev.litellmdeploy.deployer;

import java.util.Map;

/**
 * The blue-green side of a host (the helper's {@code bg_*} state lines): which color is live, what
 * each color holds and runs, the live release's file digests, and whether the proxy site on disk is
 * the one the deployer last wrote.
 *
 * @param live         blue, green, or null (not deployed blue-green)
 * @param proxy        ok, drift (edited since the deployer wrote it) or missing
 */
public record BlueGreenState(String live, Map<String, String> releases, Map<String, String> active, Map<String, Boolean> retiring,
        String liveBundleId, Map<String, String> liveDigests, String proxy, boolean nginxInstalled) {

    public static final String BLUE = "blue";
    public static final String GREEN = "green";

    /** A host never deployed blue-green. */
    public static BlueGreenState none() {
        return parse(Map.of(), Map.of());
    }

    public boolean deployed() {
        return live != null;
    }

    /** The color a new release starts in: the one that is not live (blue first). */
    public String idle() {
        return BLUE.equals(live) ? GREEN : BLUE;
    }

    public static String other(String color) {
        return BLUE.equals(color) ? GREEN : BLUE;
    }

    public String releaseOf(String color) {
        return releases.get(color);
    }

    public boolean running(String color) {
        return "active".equals(active.get(color));
    }

    static BlueGreenState parse(Map<String, String> v, Map<String, String> digests) {
        Map<String, String> releases = new java.util.LinkedHashMap<>();
        Map<String, String> active = new java.util.LinkedHashMap<>();
        Map<String, Boolean> retiring = new java.util.LinkedHashMap<>();
        for (String c : java.util.List.of(BLUE, GREEN)) {
            String r = v.get("bg_" + c + "_release");
            if (r != null && !r.isBlank()) {
                releases.put(c, r);
            }
            active.put(c, v.getOrDefault("bg_" + c + "_active", ""));
            retiring.put(c, "active".equals(v.get("bg_" + c + "_retiring")));
        }
        String live = v.get("bg_live");
        String bundle = v.get("bg_live_bundle");
        return new BlueGreenState(live == null || live.isBlank() ? null : live, Map.copyOf(releases), Map.copyOf(active), Map.copyOf(retiring),
                bundle == null || bundle.isBlank() ? null : bundle, Map.copyOf(digests), v.getOrDefault("bg_proxy", "missing"),
                "yes".equals(v.get("bg_nginx")));
    }
}
