package dev.litellmdeploy.deployer;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.litellmdeploy.deployer.bundle.Bundle;

/**
 * The Python environment a host's current release runs, for {@code status}: the lock's sha256 (null: the unlocked uvx unit), the
 * LiteLLM version that lock pins, whether the host holds it complete (READY), how many environments the host keeps, and where
 * the host's build of it took its packages from (the helper's {@code SOURCE}: "wheelhouse DIR", "index URL", never a
 * credential; null when not recorded, e.g. built before it was).
 */
public record PythonEnvStatus(String lockSha256, String litellmVersion, boolean ready, int kept, String source) {
    private static final Pattern LITELLM_PIN = Pattern.compile("(?m)^litellm==([^\\s\\\\]+)");

    /** The environment of this release (its unit and requirements.lock) on a host that holds these complete environments. */
    public static PythonEnvStatus of(Bundle release, RemoteLayout layout, List<String> envsOnHost) {
        return of(release, layout, envsOnHost, List.of());
    }

    /** The same, with the state read's {@code env_source=SHA256 TEXT} lines. */
    public static PythonEnvStatus of(Bundle release, RemoteLayout layout, List<String> envsOnHost, List<String> sourceLines) {
        String sha = PythonEnv.namedBy(release, layout);
        if (sha == null) {
            return new PythonEnvStatus(null, null, false, envsOnHost.size(), null);
        }
        String source = sourceLines.stream().filter(l -> l.startsWith(sha + " ")).map(l -> l.substring(sha.length() + 1).strip())
                .filter(t -> !t.isEmpty()).findFirst().orElse(null);
        byte[] lock = release.files().get(PythonEnv.LOCK);
        Matcher pin = LITELLM_PIN.matcher(lock == null ? "" : new String(lock, StandardCharsets.UTF_8));
        return new PythonEnvStatus(sha, pin.find() ? pin.group(1) : null, envsOnHost.contains(sha), envsOnHost.size(), source);
    }

    public boolean locked() {
        return lockSha256 != null;
    }

    /** One line for {@code status}. */
    public String describe() {
        String keptText = kept + (kept == 1 ? " environment" : " environments") + " kept";
        if (!locked()) {
            return "unlocked (uvx); " + keptText;
        }
        return "lock " + lockSha256.substring(0, 12) + " (LiteLLM " + (litellmVersion == null ? "?" : litellmVersion) + "), "
                + (ready ? "READY" + (source == null ? "" : ", built from " + source) : "MISSING: not built on this host; the next deploy of this lock builds it")
                + "; " + keptText;
    }
}
