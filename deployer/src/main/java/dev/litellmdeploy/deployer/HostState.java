package dev.litellmdeploy.deployer;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a server holds now (the helper's {@code state} verb), read in one round trip: the current release and its bundle, the
 * service's state, the digests of the installed files, uv, the service user; {@code adoptable}: a unit litellm-deploy did not
 * make, found on a host with no release recorded (null: none); {@code wheelhouses}: the full digests of the wheelhouses it holds;
 * {@code drift}: what the host holds that the recorded release does not say; {@code pythonEnvs}: the lock digests of the complete
 * Python environments it holds (PythonEnv); {@code wheels}: the sha256 of every wheelhouse file it holds (its wheel store,
 * WheelhouseUpload sends only the others).
 */
public record HostState(
        String currentRelease,
        String currentBundleId,
        List<String> releases,
        String activeState,
        long mainPid,
        boolean enabled,
        Map<String, String> installedDigests,
        String uvVersion,
        boolean userExists,
        String currentRedactedConfig,
        BlueGreenState blueGreen,
        Adoption.Found adoptable,
        List<String> wheelhouses,
        Drift drift,
        List<String> pythonEnvs,
        List<String> wheels) {

    /** Where blue-green's nginx site is (the helper's PROXY_CONF). */
    public static final String PROXY_SITE = "/etc/nginx/conf.d/litellm-deploy.conf";

    public HostState(String currentRelease, String currentBundleId, List<String> releases, String activeState, long mainPid, boolean enabled,
            Map<String, String> installedDigests, String uvVersion, boolean userExists, String currentRedactedConfig, BlueGreenState blueGreen,
            Adoption.Found adoptable, List<String> wheelhouses, Drift drift, List<String> pythonEnvs) {
        this(currentRelease, currentBundleId, releases, activeState, mainPid, enabled, installedDigests, uvVersion, userExists,
                currentRedactedConfig, blueGreen, adoptable, wheelhouses, drift, pythonEnvs, List.of());
    }

    public HostState(String currentRelease, String currentBundleId, List<String> releases, String activeState, long mainPid, boolean enabled,
            Map<String, String> installedDigests, String uvVersion, boolean userExists, String currentRedactedConfig, BlueGreenState blueGreen,
            Adoption.Found adoptable, List<String> wheelhouses, Drift drift) {
        this(currentRelease, currentBundleId, releases, activeState, mainPid, enabled, installedDigests, uvVersion, userExists,
                currentRedactedConfig, blueGreen, adoptable, wheelhouses, drift, List.of());
    }

    public HostState(String currentRelease, String currentBundleId, List<String> releases, String activeState, long mainPid, boolean enabled,
            Map<String, String> installedDigests, String uvVersion, boolean userExists, String currentRedactedConfig, BlueGreenState blueGreen,
            Adoption.Found adoptable, List<String> wheelhouses) {
        this(currentRelease, currentBundleId, releases, activeState, mainPid, enabled, installedDigests, uvVersion, userExists,
                currentRedactedConfig, blueGreen, adoptable, wheelhouses, Drift.none());
    }

    public HostState(String currentRelease, String currentBundleId, List<String> releases, String activeState, long mainPid, boolean enabled,
            Map<String, String> installedDigests, String uvVersion, boolean userExists, String currentRedactedConfig, BlueGreenState blueGreen,
            Adoption.Found adoptable) {
        this(currentRelease, currentBundleId, releases, activeState, mainPid, enabled, installedDigests, uvVersion, userExists,
                currentRedactedConfig, blueGreen, adoptable, List.of());
    }

    public HostState(String currentRelease, String currentBundleId, List<String> releases, String activeState, long mainPid, boolean enabled,
            Map<String, String> installedDigests, String uvVersion, boolean userExists, String currentRedactedConfig, BlueGreenState blueGreen) {
        this(currentRelease, currentBundleId, releases, activeState, mainPid, enabled, installedDigests, uvVersion, userExists,
                currentRedactedConfig, blueGreen, null, List.of());
    }

    public boolean active() {
        return "active".equals(activeState);
    }

    public boolean firstDeploy() {
        return currentRelease == null;
    }

    /** The release before the current one (what a rollback returns to), or null. */
    public String previousRelease() {
        if (currentRelease == null) {
            return null; // (an immutable list's indexOf(null) throws)
        }
        int i = releases.indexOf(currentRelease);
        return i > 0 ? releases.get(i - 1) : null;
    }

    static HostState parse(String output, RemoteLayout l) {
        Map<String, String> values = new LinkedHashMap<>();
        List<String> releases = new ArrayList<>();
        Map<String, String> digests = new LinkedHashMap<>();
        Map<String, String> bgDigests = new LinkedHashMap<>();
        List<String> driftFiles = new ArrayList<>();
        List<String> dropIns = new ArrayList<>();
        for (String line : output.split("\n")) {
            int eq = line.indexOf('=');
            if (eq < 0) {
                continue;
            }
            String k = line.substring(0, eq);
            String v = line.substring(eq + 1).trim();
            switch (k) {
                case "release" -> releases.add(v);
                case "drift_file" -> driftFiles.add(v);
                case "drift_dropin" -> dropIns.add(v);
                case "bg_digest" -> {
                    String[] parts = v.split("\\s+", 2);
                    if (parts.length == 2) {
                        bgDigests.put(parts[1], parts[0]);
                    }
                }
                case "digest" -> {
                    String[] parts = v.split("\\s+", 2);
                    if (parts.length == 2) {
                        digests.put(parts[1], parts[0]);
                    }
                }
                default -> values.put(k, v);
            }
        }
        String current = blankToNull(values.get("current"));
        long pid = 0;
        try {
            pid = Long.parseLong(values.getOrDefault("pid", "0"));
        } catch (NumberFormatException e) {
            pid = 0;
        }
        String redacted = values.get("redacted");
        BlueGreenState bg = BlueGreenState.parse(values, bgDigests);
        return new HostState(current, blankToNull(values.get("bundle")), List.copyOf(releases), values.getOrDefault("active", ""), pid,
                "enabled".equals(values.get("enabled")), digests, blankToNull(values.get("uv")), "yes".equals(values.get("user")),
                redacted == null || redacted.isBlank() ? null
                        : new String(java.util.Base64.getDecoder().decode(redacted), java.nio.charset.StandardCharsets.UTF_8),
                bg, Adoption.Found.parse(values),
                values.getOrDefault("wheelhouses", "").isBlank() ? List.of() : List.of(values.get("wheelhouses").split("\\s+")),
                Drift.of(driftFiles, dropIns, bg.deployed() ? bg.proxy() : null, PROXY_SITE, l.serviceUser()),
                words(values.get("envs")), words(values.get("wheels")));
    }

    private static List<String> words(String s) {
        return s == null || s.isBlank() ? List.of() : List.of(s.strip().split("\\s+"));
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
