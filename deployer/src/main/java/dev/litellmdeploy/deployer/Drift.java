package dev.litellmdeploy.deployer;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Drift: what a host holds that its RECORDED release does not say, decided from the helper's facts (the {@code drift_file=}
 * and {@code drift_dropin=} lines of {@code state}, the proxy site's check, the installed helper's digest). Pure. Only
 * what changed and how many lines are known here: the installed files (which hold secrets) never leave the host.
 *
 * @param items every finding, in the order the helper reported them (files, drop-ins, proxy, helper)
 */
public record Drift(List<Item> items) {

    public enum Kind {
        /** the installed copy differs from the release's */
        EDITED,
        /** the release has the file, the host does not */
        MISSING,
        /** the host has the file (or a link in its place), the release has none */
        UNEXPECTED,
        /** same bytes, another mode or owner than litellm-deploy installs */
        MODE,
        /** a file in a managed unit's drop-in directory (litellm-deploy installs none) */
        DROP_IN,
        /** the nginx site of blue-green: edited or removed since the deployer wrote it */
        PROXY,
        /** the installed helper is not the one this deployer needs */
        HELPER
    }

    /**
     * One finding.
     *
     * @param file    config.yaml, litellm.env, litellm.service, the drop-in's file name, "nginx site" or "helper"
     * @param color   the blue-green color whose file it is, or null
     * @param path    where on the host
     * @param added   lines the installed copy has that the release's has not (EDITED)
     * @param removed lines the release's copy has that the installed one has not (EDITED)
     * @param detail  the installed copy's sha256 (EDITED), the mode and owner found and wanted, "644:root:root > 600:root:root" (MODE), the proxy's state (PROXY), the installed helper's digest (HELPER), or ""
     */
    public record Item(Kind kind, String file, String color, String path, int added, int removed, String detail) {

        /** One line for people: what, where, how much; never a line of the file. */
        public String text() {
            String what = file + (color == null ? "" : " of " + color);
            return switch (kind) {
                case EDITED -> what + " edited on the server (" + (added + removed == 1 ? "1 line" : (added + removed) + " lines") + ": +" + added
                        + " -" + removed + ")";
                case MISSING -> what + " missing on the server (" + path + ")";
                case UNEXPECTED -> what + " present on the server (" + path + "), but the release has none";
                case MODE -> what + " has mode and owner " + detail.replace(':', ' ').replace(">", "(" + path + "); litellm-deploy installs");
                case DROP_IN -> "drop-in " + path + " (litellm-deploy installs none; it changes the unit)";
                case PROXY -> "nginx site " + ("missing".equals(detail) ? "missing" : "edited since the deployer wrote it") + " (" + path + ")";
                case HELPER -> "installed helper " + path + " is not this deployer's (sha256 " + detail + ")";
            };
        }

        /** A few words for an audit line. */
        String brief() {
            return switch (kind) {
                case EDITED, MISSING, UNEXPECTED -> file + (color == null ? "" : " " + color) + " " + kind.name().toLowerCase(java.util.Locale.ROOT);
                case MODE -> file + (color == null ? "" : " " + color) + " mode";
                case DROP_IN -> "drop-in " + file + " moved aside";
                case PROXY -> "nginx site";
                case HELPER -> "helper";
            };
        }
    }

    private static final String USER = "@user@";
    /** Mode, owner and group litellm-deploy installs each file with (the group of config.yaml is the service user's). */
    private static final Map<String, String> EXPECTED_MODES = Map.of("config.yaml", "640:root:" + USER,
            "litellm.env", "600:root:root", "litellm.service", "644:root:root");

    public Drift {
        items = List.copyOf(items);
    }

    public static Drift none() {
        return new Drift(List.of());
    }

    /** The installed helper answered with another digest than this deployer's (nothing else was read from it). */
    public static Drift helperMismatch(String path, String installedSha) {
        return new Drift(List.of(new Item(Kind.HELPER, "helper", null, path, 0, 0, installedSha)));
    }

    public boolean drifted() {
        return !items.isEmpty();
    }

    /** The managed files (config.yaml, litellm.env, litellm.service) of the color (null: the single service) that drifted. */
    public List<String> files(String color) {
        return items.stream().filter(i -> i.kind().ordinal() <= Kind.MODE.ordinal() && java.util.Objects.equals(color, i.color()))
                .map(Item::file).distinct().toList();
    }

    public boolean dropIns() {
        return items.stream().anyMatch(i -> i.kind() == Kind.DROP_IN);
    }

    /** Whether config.yaml (of any color, or the single service) drifted: a config diff against the bundle is then not only secrets. */
    public boolean touchesConfig() {
        return items.stream().anyMatch(i -> "config.yaml".equals(i.file()) && i.kind().ordinal() <= Kind.MODE.ordinal());
    }

    /**
     * Without the single service's files that are already {@code bundle}'s (by digest): an earlier deploy of this bundle
     * installed them and stopped before it recorded its release; deploying it again is not a repair.
     */
    public Drift exceptInstalledFrom(Map<String, String> bundleDigests) {
        return new Drift(items.stream().filter(i -> !(i.kind() == Kind.EDITED && i.color() == null && i.detail().equals(bundleDigests.get(i.file()))))
                .toList());
    }

    /** Every finding, one line each. */
    public List<String> lines() {
        return items.stream().map(Item::text).toList();
    }

    /** Every finding in one line. */
    public String summary() {
        return String.join("; ", lines());
    }

    /** What a deploy repaired, for its audit line (plain words; AuditClaims reduces them to its charset). */
    public String audit() {
        return "drift repaired: " + String.join(", ", items.stream().map(Item::brief).distinct().toList());
    }

    /**
     * The helper's facts -> findings.
     *
     * @param fileFacts    the values of {@code drift_file=} lines: KIND|COLOR|PATH|INSTALLED|RECORDED|MODE|ADDED|REMOVED
     * @param dropIns      the values of {@code drift_dropin=} lines (paths)
     * @param proxy        for a blue-green host, the proxy site's state (ok, drift, missing); null for a restart host
     * @param proxyPath    where the proxy site is
     * @param serviceUser  the group config.yaml is installed with
     */
    static Drift of(List<String> fileFacts, List<String> dropIns, String proxy, String proxyPath, String serviceUser) {
        List<Item> items = new ArrayList<>();
        for (String fact : fileFacts) {
            String[] f = fact.split("\\|", -1);
            if (f.length != 8) {
                continue;
            }
            String file = f[0];
            String color = "-".equals(f[1]) ? null : f[1];
            String path = f[2];
            String have = f[3];
            String want = f[4];
            if (!EXPECTED_MODES.containsKey(file) || have.equals("-") && want.equals("-")) {
                continue;
            }
            if (want.equals("-")) {
                items.add(new Item(Kind.UNEXPECTED, file, color, path, 0, 0, ""));
            } else if (have.equals("-")) {
                items.add(new Item(Kind.MISSING, file, color, path, 0, 0, ""));
            } else if (have.equals("link")) {
                items.add(new Item(Kind.EDITED, file, color, path, 0, 0, "a symbolic link"));
            } else if (!have.equals(want)) {
                items.add(new Item(Kind.EDITED, file, color, path, count(f[6]), count(f[7]), have));
            } else if (!f[5].equals(EXPECTED_MODES.get(file).replace(USER, serviceUser))) {
                items.add(new Item(Kind.MODE, file, color, path, 0, 0, f[5] + " > " + EXPECTED_MODES.get(file).replace(USER, serviceUser)));
            }
        }
        for (String p : dropIns) {
            items.add(new Item(Kind.DROP_IN, p.substring(p.lastIndexOf('/') + 1), null, p, 0, 0, ""));
        }
        if (proxy != null && !"ok".equals(proxy)) {
            items.add(new Item(Kind.PROXY, "nginx site", null, proxyPath, 0, 0, proxy));
        }
        return new Drift(items);
    }

    private static int count(String s) {
        try {
            return Integer.parseInt(s.strip());
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
