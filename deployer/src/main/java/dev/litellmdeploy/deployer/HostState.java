package dev.litellmdeploy.deployer;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a server holds now, read in one round trip: the current release and its bundle, the
 * service's state, the digests of the installed files, uv, the service user.
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
        String currentRedactedConfig) {

    public boolean active() {
        return "active".equals(activeState);
    }

    public boolean firstDeploy() {
        return currentRelease == null;
    }

    /** The release before the current one (what a rollback returns to), or null. */
    public String previousRelease() {
        int i = releases.indexOf(currentRelease);
        return i > 0 ? releases.get(i - 1) : null;
    }

    /** The script that prints this state as key=value lines (run as root). */
    static String script(RemoteLayout l) {
        return """
                state=%1$s; unit=%2$s
                cur=$(readlink "$state/current" 2>/dev/null || true); cur=${cur##*/}
                echo "current=$cur"
                if [ -n "$cur" ] && [ -f "$state/releases/$cur/bundle-id" ]; then echo "bundle=$(cat "$state/releases/$cur/bundle-id")"; fi
                if [ -n "$cur" ] && [ -f "$state/releases/$cur/config.redacted.yaml" ]; then echo "redacted=$(base64 -w0 "$state/releases/$cur/config.redacted.yaml")"; fi
                if [ -d "$state/releases" ]; then for r in $(ls -1 "$state/releases" | grep -v '[.]partial$' | sort); do
                  [ -f "$state/releases/$r/FAILED" ] || echo "release=$r"; done; fi
                echo "active=$(systemctl is-active "$unit" 2>/dev/null || true)"
                echo "pid=$(systemctl show -p MainPID --value "$unit" 2>/dev/null || echo 0)"
                echo "enabled=$(systemctl is-enabled "$unit" 2>/dev/null || true)"
                for f in %3$s %4$s %5$s; do [ -f "$f" ] && echo "digest=$(sha256sum "$f")"; done
                echo "uv=$(%6$s --version 2>/dev/null | awk '{print $2}' || true)"
                id -u %7$s >/dev/null 2>&1 && echo "user=yes" || echo "user=no"
                """.formatted(l.stateDir(), l.unitName(), l.configPath(), l.envPath(), l.unitPath(), l.uvxPath(), l.serviceUser());
    }

    static HostState parse(String output, RemoteLayout l) {
        Map<String, String> values = new LinkedHashMap<>();
        List<String> releases = new ArrayList<>();
        Map<String, String> digests = new LinkedHashMap<>();
        for (String line : output.split("\n")) {
            int eq = line.indexOf('=');
            if (eq < 0) {
                continue;
            }
            String k = line.substring(0, eq);
            String v = line.substring(eq + 1).trim();
            switch (k) {
                case "release" -> releases.add(v);
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
        return new HostState(current, blankToNull(values.get("bundle")), List.copyOf(releases), values.getOrDefault("active", ""), pid,
                "enabled".equals(values.get("enabled")), digests, blankToNull(values.get("uv")), "yes".equals(values.get("user")),
                redacted == null || redacted.isBlank() ? null
                        : new String(java.util.Base64.getDecoder().decode(redacted), java.nio.charset.StandardCharsets.UTF_8));
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
