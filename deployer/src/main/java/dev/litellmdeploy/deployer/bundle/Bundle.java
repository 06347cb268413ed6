package dev.litellmdeploy.deployer.bundle;

import java.io.IOException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;

/**
 * A bundle directory as the deployer sees it (the on-disk contract in docs/architecture.md; the deployer
 * does not depend on the builder): the files, their digests checked against manifest.json, the
 * model names to expect, the master key to ask /v1/models with, and the secret values to hide
 * (every value where config.yaml and config.redacted.yaml differ, or the parts of it the redacted
 * view hides, plus litellm.env's values).
 */
public record Bundle(Path dir, Manifest manifest, byte[] manifestBytes, Map<String, byte[]> files, String masterKey, List<String> secrets,
        boolean declaresMasterKey) {
    public static final String CONFIG = "config.yaml";
    public static final String REDACTED_CONFIG = "config.redacted.yaml";
    public static final String ENV_FILE = "litellm.env";
    public static final String UNIT = "litellm.service";
    public static final String MANIFEST = "manifest.json";
    /** The bundle's own files; any other file it lists is an extra file installed beside config.yaml ({@link #isExtra}). */
    public static final Set<String> OWN = Set.of(CONFIG, REDACTED_CONFIG, ENV_FILE, UNIT, MANIFEST, "requirements.lock");
    /** include: files and Python modules the config loads, by the rule the builder and the helper's extra_file share. */
    private static final java.util.regex.Pattern EXTRA = java.util.regex.Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,99}\\.(yaml|yml|py)");
    /** The bundle format this deployer reads from a directory; format 1 (no manifest digest) only from a server's release store. */
    public static final int FORMAT = 2;
    /** How config.redacted.yaml starts when the builder's allow-list made it (earlier views hid only keys that looked secret). */
    public static final String ALLOW_LIST_REDACTION = "# Redacted view of config.yaml (allow-list)";

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Manifest(int format, String bundleId, Map<String, String> files, String litellmVersion, String host, int port,
            List<String> models, List<String> envRefs, List<String> envFileProvides, String sourceRevision, String builtAt,
            String manifestSha256) {
    }

    static final ObjectMapper JSON = new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /**
     * Reads a bundle directory: manifest.json and the files it lists, each a regular file (no
     * symlink, FIFO or device), every manifest value checked, the manifest and each file checked
     * against their digests. Nothing is sent anywhere before this passed.
     */
    public static Bundle read(Path dir) throws BundleException {
        try {
            byte[] manifestBytes = BundleFiles.readRegular(dir, MANIFEST);
            if (manifestBytes == null) {
                throw new BundleException(dir + " is not a bundle (no manifest.json); build one with `litellm-deploy build`");
            }
            Manifest manifest = manifest(manifestBytes, dir.resolve(MANIFEST).toString(), false);
            Map<String, byte[]> files = new java.util.TreeMap<>();
            for (String name : manifest.files().keySet()) {
                byte[] bytes = BundleFiles.readRegular(dir, name);
                if (bytes == null) {
                    throw new BundleException(dir.resolve(name) + " is missing (manifest.json lists it): the bundle was changed after it"
                            + " was built; rebuild it");
                }
                files.put(name, bytes);
            }
            return of(dir, manifest, manifestBytes, files);
        } catch (IOException e) {
            throw new BundleException("cannot read the bundle in " + dir + ": " + e.getMessage(), e);
        }
    }

    /** A release's files as read back from a server (for rollback, status and logs); releases of format 1 still read. */
    public static Bundle fromFiles(String where, byte[] manifestBytes, Map<String, byte[]> files) throws BundleException {
        if (manifestBytes == null) {
            throw new BundleException(where + " holds no " + MANIFEST);
        }
        return of(Path.of(where), manifest(manifestBytes, where + "/" + MANIFEST, true), manifestBytes, files);
    }

    private static Manifest manifest(byte[] bytes, String where, boolean fromServer) throws BundleException {
        JsonNode tree;
        Manifest manifest;
        try {
            tree = JSON.readTree(bytes);
            if (tree == null || !tree.isObject()) {
                throw new BundleException(where + " is not a bundle manifest (a JSON object)");
            }
            manifest = JSON.treeToValue(tree, Manifest.class);
        } catch (com.fasterxml.jackson.databind.exc.MismatchedInputException e) {
            String field = e.getPath().stream().map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                    .reduce("", (a, b) -> a.isEmpty() || b.startsWith("[") ? a + b : a + "." + b);
            throw new BundleException(where + ": " + field + " has the wrong type; rebuild the bundle", e);
        } catch (IOException e) {
            throw new BundleException(where + " cannot be read as a bundle manifest (" + e.getClass().getSimpleName() + ")", e);
        }
        if (manifest.format() == 1 && !fromServer) {
            throw new BundleException(where + ": bundle format 1 (built by an older litellm-deploy) carries no digest of manifest.json,"
                    + " so an edit to it would go unnoticed; rebuild the bundle with this version's `litellm-deploy build`");
        }
        if (manifest.format() != FORMAT && manifest.format() != 1) {
            throw new BundleException("bundle format " + manifest.format() + " is not supported by this deployer (expects " + FORMAT + ")");
        }
        List<String> problems = new ArrayList<>(ManifestCheck.problems(manifest, where));
        for (String required : List.of(CONFIG, UNIT)) {
            if (manifest.files() == null || !manifest.files().containsKey(required)) {
                problems.add(where + ": files lists no " + required);
            }
        }
        String changed = "the bundle was changed after it was built; rebuild it";
        if (manifest.files() != null && manifest.bundleId() != null && !manifest.bundleId().equals(ManifestDigest.bundleId(manifest.files()))) {
            problems.add(where + ": bundle_id does not match the files listed: " + changed);
        }
        if (manifest.format() >= 2 && !ManifestDigest.manifestSha256(tree).equals(manifest.manifestSha256())) {
            problems.add(where + ": its content does not match its " + ManifestDigest.FIELD + ": " + changed);
        }
        if (!problems.isEmpty()) {
            throw new BundleException(problems.size() == 1 ? problems.get(0)
                    : "the bundle's manifest is not valid:\n  " + String.join("\n  ", problems));
        }
        return manifest;
    }

    private static Bundle of(Path dir, Manifest manifest, byte[] manifestBytes, Map<String, byte[]> files) throws BundleException {
        for (Map.Entry<String, String> f : manifest.files().entrySet()) {
            byte[] bytes = files.get(f.getKey());
            if (bytes == null || !sha256(bytes).equals(f.getValue())) {
                throw new BundleException(dir.resolve(f.getKey()) + " does not match its sha256 in manifest.json: the bundle was"
                        + " changed after it was built; rebuild it");
            }
        }
        Map<?, ?> root = yaml(files.get(CONFIG), CONFIG);
        Map<String, String> env = files.containsKey(ENV_FILE) ? EnvFile.parse(new String(files.get(ENV_FILE), java.nio.charset.StandardCharsets.UTF_8)) : Map.of();
        Set<String> secrets = new LinkedHashSet<>(env.values());
        Map<?, ?> redacted = files.containsKey(REDACTED_CONFIG) ? yaml(files.get(REDACTED_CONFIG), REDACTED_CONFIG) : null;
        if (redacted != null) {
            collectDifferences(root, redacted, secrets);
        }
        Map<Object, Object> config = new java.util.LinkedHashMap<>(root);
        for (Map<?, ?> included : included(root, files)) {
            if (redacted != null) {
                Set<String> shown = new java.util.HashSet<>();
                strings(redacted, shown);
                Set<String> held = new LinkedHashSet<>();
                strings(included, held);
                held.removeAll(shown);
                secrets.addAll(held); // the redacted view is of the merged config: what it does not show of an included file is hidden
            }
            config.putAll(included); // the sections masterKey reads: an included one replaces the config's (LiteLLM's merge)
        }
        String masterKey = masterKey(config, env);
        if (masterKey != null) {
            secrets.add(masterKey);
        }
        List<String> sorted = new ArrayList<>(secrets);
        sorted.removeIf(s -> s == null || s.isEmpty());
        sorted.sort((a, b) -> Integer.compare(b.length(), a.length()));
        SecretRegistry.global().add(sorted);
        return new Bundle(dir, manifest, manifestBytes.clone(), java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(files)), masterKey,
                List.copyOf(sorted), declaresMasterKey(config));
    }

    /** Whether NAME is an extra file (an include: file or a Python module) installed beside config.yaml. */
    public static boolean isExtra(String name) {
        return !OWN.contains(name) && EXTRA.matcher(name).matches();
    }

    /** config.yaml's include: files this bundle carries, in its order (nested includes are not followed here). */
    private static List<Map<?, ?>> included(Map<?, ?> config, Map<String, byte[]> files) throws BundleException {
        List<Map<?, ?>> out = new ArrayList<>();
        if (config.get("include") instanceof List<?> names) {
            for (Object name : names) {
                if (name instanceof String n && isExtra(n) && files.containsKey(n)) {
                    out.add(yaml(files.get(n), n));
                }
            }
        }
        return out;
    }

    private static void strings(Object value, Set<String> out) {
        if (value instanceof Map<?, ?> m) {
            m.values().forEach(v -> strings(v, out));
        } else if (value instanceof List<?> l) {
            l.forEach(v -> strings(v, out));
        } else if (value instanceof String s) {
            out.add(s);
        }
    }

    public String bundleId() {
        return manifest.bundleId();
    }

    public List<String> models() {
        return manifest.models() == null ? List.of() : manifest.models();
    }

    private static Map<?, ?> yaml(byte[] bytes, String name) throws BundleException {
        try {
            Object data = new Yaml(new SafeConstructor(new LoaderOptions())).load(new String(bytes, java.nio.charset.StandardCharsets.UTF_8));
            return data instanceof Map<?, ?> m ? m : Map.of();
        } catch (RuntimeException e) {
            throw new BundleException("the bundle's " + name + " is not valid YAML; rebuild the bundle");
        }
    }

    /** Whether config.yaml asks for a master key at all, whether or not it resolves here (an os.environ/ reference). */
    private static boolean declaresMasterKey(Map<?, ?> config) {
        Object key = config.get("general_settings") instanceof Map<?, ?> g ? g.get("master_key") : null;
        Object fromEnv = config.get("environment_variables") instanceof Map<?, ?> e ? e.get("LITELLM_MASTER_KEY") : null;
        return key instanceof String s && !s.isBlank() || fromEnv instanceof String v && !v.isBlank();
    }

    private static String masterKey(Map<?, ?> config, Map<String, String> env) {
        Object key = config.get("general_settings") instanceof Map<?, ?> g ? g.get("master_key") : null;
        if (key instanceof String s && s.startsWith("os.environ/")) {
            return env.get(s.substring("os.environ/".length()));
        }
        if (key instanceof String s && !s.isBlank()) {
            return s;
        }
        return config.get("environment_variables") instanceof Map<?, ?> e && e.get("LITELLM_MASTER_KEY") instanceof String s ? s : null;
    }

    private static void collectDifferences(Object real, Object redacted, Set<String> out) {
        if (real instanceof Map<?, ?> a && redacted instanceof Map<?, ?> b) {
            a.forEach((k, v) -> collectDifferences(v, b.get(k), out));
        } else if (real instanceof List<?> a && redacted instanceof List<?> b) {
            for (int i = 0; i < a.size(); i++) {
                collectDifferences(a.get(i), i < b.size() ? b.get(i) : null, out);
            }
        } else if (real instanceof String s && !s.equals(redacted)) {
            out.addAll(hiddenParts(s, redacted));
        }
    }

    /**
     * What the marker stands for in a partly redacted value ({@code https://<redacted>@db/x?key=<redacted>}
     * against the real URL gives the userinfo and the key); the whole value when the two do not line up.
     */
    static List<String> hiddenParts(String real, Object redacted) {
        if (!(redacted instanceof String r) || !r.contains(SecretMask.MARKER) || r.equals(SecretMask.MARKER)) {
            return List.of(real);
        }
        String[] literals = r.split(java.util.regex.Pattern.quote(SecretMask.MARKER), -1);
        if (literals.length > 17) {
            return List.of(real);
        }
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < literals.length; i++) {
            regex.append(i == 0 ? "" : "(.+?)").append(java.util.regex.Pattern.quote(literals[i]));
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(regex.toString(), java.util.regex.Pattern.DOTALL).matcher(real);
        if (!m.matches()) {
            return List.of(real);
        }
        List<String> parts = new ArrayList<>();
        for (int g = 1; g <= m.groupCount(); g++) {
            String part = m.group(g);
            parts.add(part);
            int colon = part.indexOf(':');
            if (literals[g].startsWith("@") && colon >= 0 && colon + 1 < part.length()) {
                parts.add(part.substring(colon + 1)); // a URL's user:password: the password alone too
            }
        }
        return parts;
    }

    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
