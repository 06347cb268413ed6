package dev.litellmdeploy.deployer.bundle;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Every value of a manifest the deployer uses, checked before anything is sent: each problem
 * names its field (as {@code WHERE: field ...}) and shows the value with control characters
 * escaped. The patterns are the builder's own (BundleOptions), so a built bundle always passes.
 */
final class ManifestCheck {
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern FILE_NAME = Pattern.compile("[A-Za-z0-9._-]+");
    private static final Pattern VERSION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9.+!_-]*");
    private static final Pattern LISTEN = Pattern.compile("[A-Za-z0-9.:_%-]+");
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final int MAX_NAME = 256;

    private final String where;
    private final List<String> problems = new ArrayList<>();

    private ManifestCheck(String where) {
        this.where = where;
    }

    static List<String> problems(Bundle.Manifest m, String where) {
        ManifestCheck c = new ManifestCheck(where);
        c.check(m);
        return c.problems;
    }

    private void check(Bundle.Manifest m) {
        if (m.bundleId() == null || !SHA256.matcher(m.bundleId()).matches()) {
            add("bundle_id", m.bundleId(), "is not a sha256 (64 lowercase hex digits)");
        }
        if (m.format() >= 2 && (m.manifestSha256() == null || !SHA256.matcher(m.manifestSha256()).matches())) {
            add(ManifestDigest.FIELD, m.manifestSha256(), "is not a sha256 (64 lowercase hex digits)");
        }
        if (m.files() != null) {
            for (Map.Entry<String, String> f : m.files().entrySet()) {
                if (!FILE_NAME.matcher(f.getKey()).matches() || !Bundle.OWN.contains(f.getKey()) && !Bundle.isExtra(f.getKey())) {
                    add("files", f.getKey(), "names a file a bundle cannot carry (its own files, and plain *.yaml, *.yml and *.py"
                            + " names for the files installed beside config.yaml)");
                } else if (f.getValue() == null || !SHA256.matcher(f.getValue()).matches()) {
                    add("files." + f.getKey(), f.getValue(), "is not a sha256 (64 lowercase hex digits)");
                }
            }
        }
        if (m.port() < 1 || m.port() > 65535) {
            problems.add(where + ": port " + m.port() + " is not a TCP port (1-65535)");
        }
        if (m.host() != null && !LISTEN.matcher(m.host()).matches()) {
            add("host", m.host(), "is not a listen address (like 0.0.0.0 or 127.0.0.1)");
        }
        if (m.litellmVersion() == null || !VERSION.matcher(m.litellmVersion()).matches()) {
            add("litellm_version", m.litellmVersion(), "is not a version (like 1.80.9)");
        }
        if (m.models() == null || m.models().isEmpty()) {
            problems.add(where + ": models is empty; a bundle names the models /v1/models must list");
        } else {
            for (int i = 0; i < m.models().size(); i++) {
                text("models[" + i + "]", m.models().get(i), false);
            }
        }
        names("env_refs", m.envRefs());
        names("env_file_provides", m.envFileProvides());
        text("source_revision", m.sourceRevision(), true);
        if (m.builtAt() != null) {
            try {
                Instant.parse(m.builtAt());
            } catch (DateTimeParseException e) {
                add("built_at", m.builtAt(), "is not a UTC time (like 2026-12-01T20:00:00Z)");
            }
        }
    }

    private void text(String field, String value, boolean optional) {
        if (value == null || value.isBlank()) {
            if (!optional) {
                add(field, value, "is empty");
            }
        } else if (value.chars().anyMatch(ch -> ch < 0x20 || ch == 0x7f || (ch >= 0x80 && ch < 0xa0))) {
            add(field, value, "holds a control character (a line break, an escape)");
        } else if (value.length() > MAX_NAME) {
            add(field, value, "is longer than " + MAX_NAME + " characters");
        }
    }

    private void names(String field, List<String> values) {
        if (values == null) {
            return;
        }
        for (int i = 0; i < values.size(); i++) {
            if (values.get(i) == null || !ENV_NAME.matcher(values.get(i)).matches()) {
                add(field + "[" + i + "]", values.get(i), "is not an environment variable name");
            }
        }
    }

    private void add(String field, String value, String what) {
        problems.add(where + ": " + field + " " + shown(value) + " " + what);
    }

    /** The value quoted, control characters escaped, cut at 80 characters (manifest values are never secrets). */
    static String shown(String value) {
        if (value == null) {
            return "(missing)";
        }
        StringBuilder out = new StringBuilder("'");
        value.codePoints().limit(80).forEach(cp -> {
            if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0)) {
                out.append(String.format("\\u%04x", cp));
            } else {
                out.appendCodePoint(cp);
            }
        });
        return out.append(value.codePointCount(0, value.length()) > 80 ? "...'" : "'").toString();
    }
}
