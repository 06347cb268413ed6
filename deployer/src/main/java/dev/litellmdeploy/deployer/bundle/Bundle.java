package dev.litellmdeploy.deployer.bundle;

import java.io.IOException;
import java.nio.file.Files;
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
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;

/**
 * A bundle directory as the deployer sees it (the on-disk contract in DESIGN.md; the deployer
 * does not depend on the builder): the files, their digests checked against manifest.json, the
 * model names to expect, the master key to ask /v1/models with, and the secret values to hide
 * (every value where config.yaml and config.redacted.yaml differ, plus litellm.env's values).
 */
public record Bundle(Path dir, Manifest manifest, Map<String, byte[]> files, String masterKey, List<String> secrets,
        boolean declaresMasterKey) {
    public static final String CONFIG = "config.yaml";
    public static final String REDACTED_CONFIG = "config.redacted.yaml";
    public static final String ENV_FILE = "litellm.env";
    public static final String UNIT = "litellm.service";
    public static final String MANIFEST = "manifest.json";

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Manifest(int format, String bundleId, Map<String, String> files, String litellmVersion, String host, int port,
            List<String> models, List<String> envRefs, List<String> envFileProvides, String sourceRevision, String builtAt) {
    }

    static final ObjectMapper JSON = new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    public static Bundle read(Path dir) throws BundleException {
        Path manifestFile = dir.resolve(MANIFEST);
        if (!Files.isRegularFile(manifestFile)) {
            throw new BundleException(dir + " is not a bundle (no manifest.json); build one with `litellm-deploy build`");
        }
        try {
            byte[] manifestBytes = Files.readAllBytes(manifestFile);
            Manifest manifest = manifest(manifestBytes, manifestFile.toString());
            Map<String, byte[]> files = new java.util.TreeMap<>();
            for (String name : manifest.files().keySet()) {
                if (!name.matches("[A-Za-z0-9._-]+")) {
                    throw new BundleException("the manifest names a file outside the bundle: " + name);
                }
                files.put(name, Files.readAllBytes(dir.resolve(name)));
            }
            return of(dir, manifest, files);
        } catch (IOException e) {
            throw new BundleException("cannot read the bundle in " + dir + ": " + e.getMessage(), e);
        }
    }

    /** A release's files as read back from a server (for rollback, status and logs). */
    public static Bundle fromFiles(String where, byte[] manifestBytes, Map<String, byte[]> files) throws BundleException {
        return of(Path.of(where), manifest(manifestBytes, where + "/" + MANIFEST), files);
    }

    private static Manifest manifest(byte[] bytes, String where) throws BundleException {
        Manifest manifest;
        try {
            manifest = JSON.readValue(bytes, Manifest.class);
        } catch (IOException e) {
            throw new BundleException(where + " cannot be read as a bundle manifest (" + e.getClass().getSimpleName() + ")", e);
        }
        if (manifest.format() != 1) {
            throw new BundleException("bundle format " + manifest.format() + " is not supported by this deployer (expects 1)");
        }
        for (String required : List.of(CONFIG, UNIT)) {
            if (manifest.files() == null || !manifest.files().containsKey(required)) {
                throw new BundleException("the bundle's manifest lists no " + required);
            }
        }
        return manifest;
    }

    private static Bundle of(Path dir, Manifest manifest, Map<String, byte[]> files) throws BundleException {
        for (Map.Entry<String, String> f : manifest.files().entrySet()) {
            byte[] bytes = files.get(f.getKey());
            if (bytes == null || !sha256(bytes).equals(f.getValue())) {
                throw new BundleException(dir.resolve(f.getKey()) + " does not match its sha256 in manifest.json: the bundle was"
                        + " changed after it was built; rebuild it");
            }
        }
        Map<?, ?> config = yaml(files.get(CONFIG), CONFIG);
        Map<String, String> env = files.containsKey(ENV_FILE) ? EnvFile.parse(new String(files.get(ENV_FILE), java.nio.charset.StandardCharsets.UTF_8)) : Map.of();
        Set<String> secrets = new LinkedHashSet<>(env.values());
        if (files.containsKey(REDACTED_CONFIG)) {
            collectDifferences(config, yaml(files.get(REDACTED_CONFIG), REDACTED_CONFIG), secrets);
        }
        String masterKey = masterKey(config, env);
        if (masterKey != null) {
            secrets.add(masterKey);
        }
        List<String> sorted = new ArrayList<>(secrets);
        sorted.removeIf(s -> s == null || s.isEmpty());
        sorted.sort((a, b) -> Integer.compare(b.length(), a.length()));
        SecretRegistry.global().add(sorted);
        return new Bundle(dir, manifest, java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(files)), masterKey, List.copyOf(sorted),
                declaresMasterKey(config));
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
            out.add(s);
        }
    }

    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
