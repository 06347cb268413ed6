package dev.litellmdeploy.deployer;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.litellmdeploy.deployer.bundle.Bundle;

/**
 * The Python environment a host's current release runs, for {@code status}: the lock's sha256 (null: the unlocked uvx unit), the
 * LiteLLM version that lock pins, whether the host holds it complete (READY) and how many environments the host keeps.
 */
public record PythonEnvStatus(String lockSha256, String litellmVersion, boolean ready, int kept) {
    private static final Pattern LITELLM_PIN = Pattern.compile("(?m)^litellm==([^\\s\\\\]+)");

    /** The environment of this release (its unit and requirements.lock) on a host that holds these complete environments. */
    public static PythonEnvStatus of(Bundle release, RemoteLayout layout, List<String> envsOnHost) {
        String sha = PythonEnv.namedBy(release, layout);
        if (sha == null) {
            return new PythonEnvStatus(null, null, false, envsOnHost.size());
        }
        byte[] lock = release.files().get(PythonEnv.LOCK);
        Matcher pin = LITELLM_PIN.matcher(lock == null ? "" : new String(lock, StandardCharsets.UTF_8));
        return new PythonEnvStatus(sha, pin.find() ? pin.group(1) : null, envsOnHost.contains(sha), envsOnHost.size());
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
                + (ready ? "READY" : "MISSING: not built on this host; the next deploy of this lock builds it") + "; " + keptText;
    }
}
