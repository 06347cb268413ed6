package dev.litellmdeploy.builder;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * requirements.lock: the hash-pinned Python environment of the service, written by {@code litellm-deploy lock} (uv pip
 * compile --generate-hashes for the server's Python and platform), committed and reviewed like code, carried in the bundle
 * and installed on the server with {@code --require-hashes --no-deps}. What is accepted is narrow on purpose: the header this
 * project writes, then only {@code name==version} pins each with at least one {@code --hash=sha256:}, and comments; no
 * options (an {@code --index-url} or {@code -r} in a lock would change where packages come from), no URLs, no editables.
 *
 * @param text           the file as it is (its sha256 names the environment on the server)
 * @param litellmVersion the version of the {@code litellm} pin
 * @param pythonVersion  the header's Python version (the server's interpreter)
 * @param platform       the header's platform (uv's --python-platform)
 * @param requirements   the header's requirements (what was resolved: litellm[proxy]==V and the extras)
 * @param pins           name -> version of every package
 */
public record PythonLock(String text, String litellmVersion, String pythonVersion, String platform, List<String> requirements,
        Map<String, String> pins) {
    /** Its name in the bundle, in the release directory and (by default) in the user's repository. */
    public static final String FILE = "requirements.lock";
    static final String FIRST_LINE = "# litellm-deploy lock: the service's Python environment, every package pinned with its sha256.";
    private static final Pattern PIN = Pattern.compile("([A-Za-z0-9][A-Za-z0-9._-]*)==([A-Za-z0-9][A-Za-z0-9.+!_-]*)( \\\\)?");
    private static final Pattern HASH = Pattern.compile(" +--hash=sha256:[0-9a-f]{64}( \\\\)?");
    private static final Pattern HEADER = Pattern.compile("# (requirements|python|platform): (.+)");

    /** The header {@code lock} writes above uv's output (no time in it: the same resolution gives the same bytes). */
    public static String header(List<String> requirements, String pythonVersion, String platform) {
        return FIRST_LINE + "\n"
                + "# Made by `litellm-deploy lock`; change it with that command (not by hand) and review the diff like code.\n"
                + "# requirements: " + String.join(" ", requirements) + "\n"
                + "# python: " + pythonVersion + "\n"
                + "# platform: " + platform + "\n";
    }

    /** Reads and checks a lock; every problem is collected into one message naming {@code where} and the line. */
    public static PythonLock parse(String text, String where) {
        List<String> problems = new ArrayList<>();
        Map<String, String> header = new LinkedHashMap<>();
        Map<String, String> pins = new LinkedHashMap<>();
        String[] lines = text.split("\n", -1);
        if (!text.startsWith(FIRST_LINE + "\n")) {
            problems.add(where + ":1: not a litellm-deploy lock (make one with `litellm-deploy lock`)");
        }
        String open = null; // the pin whose --hash lines follow (its line ended with a backslash)
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            String at = where + ":" + (i + 1) + ": ";
            Matcher m = HASH.matcher(line);
            if (open != null) {
                if (m.matches()) {
                    open = m.group(1) != null ? open : null;
                    continue;
                }
                problems.add(at + "the hashes of " + open + " do not end (its last --hash line ends with a backslash)");
                open = null;
            }
            if (line.isBlank() || line.strip().startsWith("#")) {
                Matcher h = HEADER.matcher(line);
                if (h.matches() && !header.containsKey(h.group(1))) {
                    header.put(h.group(1), h.group(2).strip());
                }
            } else if (m.matches()) {
                problems.add(at + "a --hash line with no package before it");
            } else if ((m = PIN.matcher(line)).matches()) {
                String name = normalize(m.group(1));
                if (pins.put(name, m.group(2)) != null) {
                    problems.add(at + name + " is pinned twice");
                }
                if (m.group(3) != null && i + 1 < lines.length && HASH.matcher(lines[i + 1]).matches()) {
                    open = name;
                } else {
                    problems.add(at + name + " has no --hash=sha256: (a lock pins every package with its hash)");
                }
            } else {
                problems.add(at + "not a pinned package (NAME==VERSION \\ then --hash=sha256: lines): '" + shorten(line)
                        + "'; a lock holds no options, URLs or editables");
            }
        }
        if (open != null) {
            problems.add(where + ": the file ends inside the hashes of " + open);
        }
        for (String key : List.of("requirements", "python", "platform")) {
            if (!header.containsKey(key)) {
                problems.add(where + ": the header has no '# " + key + ": ' line (make the lock with `litellm-deploy lock`)");
            }
        }
        String litellm = pins.get("litellm");
        if (litellm == null) {
            problems.add(where + ": no litellm==VERSION pin");
        } else if (KnownCompromised.why(litellm) != null) {
            problems.add(where + ": " + KnownCompromised.refusal(litellm));
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("\n", problems));
        }
        return new PythonLock(text, litellm, header.get("python"), header.get("platform"),
                List.of(header.get("requirements").split("\\s+")), Map.copyOf(pins));
    }

    private static String shorten(String line) {
        String s = line.replaceAll("[\\p{Cntrl}]", "?");
        return s.length() > 80 ? s.substring(0, 80) + "..." : s;
    }

    /** Every pinned package (normalized name) with the sha256 digests the lock allows for it, in the lock's order. */
    public Map<String, java.util.Set<String>> hashes() {
        Map<String, java.util.Set<String>> all = new LinkedHashMap<>();
        java.util.Set<String> open = null;
        for (String line : text.split("\n")) {
            Matcher m = PIN.matcher(line);
            if (m.matches()) {
                open = all.computeIfAbsent(normalize(m.group(1)), k -> new java.util.LinkedHashSet<>());
            } else if (open != null && HASH.matcher(line).matches()) {
                open.add(line.strip().substring("--hash=sha256:".length(), "--hash=sha256:".length() + 64));
            } else {
                open = null;
            }
        }
        return all;
    }

    /** A package name as PEP 503 compares it (lower case, runs of -, _ and . as one -). */
    public static String normalize(String name) {
        return name.toLowerCase(java.util.Locale.ROOT).replaceAll("[-_.]+", "-");
    }

    /** The sha256 of the file: the name of its environment on the server. */
    public String sha256() {
        return BundleWriter.sha256(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Where the environment of this lock lives on a server whose environments are under {@code envsDir}. */
    public String envDir(String envsDir) {
        return envsDir + "/" + sha256() + "/venv";
    }
}
