package dev.litellmdeploy.deployer;

import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.litellmdeploy.deployer.bundle.Bundle;

/**
 * The hash-pinned Python environment a bundle's unit runs LiteLLM from (a bundle built with {@code build --lock}): one per
 * lock on a server, {@code <state dir>/envs/<sha256 of requirements.lock>/venv}, built by the helper's {@code env-build} verb
 * (uv as the service user, {@code --require-hashes}) when the host lacks it, reused by every later release with the same
 * lock, pruned with the last release that names it (docs/python-env.md).
 */
public final class PythonEnv {
    /** The lock's name in a bundle and in a release directory. */
    public static final String LOCK = "requirements.lock";
    public static final String STEP = "python-env";
    private static final Pattern EXEC = Pattern.compile("(?m)^ExecStart=(\\S+)/envs/([0-9a-f]{64})/venv/bin/litellm( |$)");

    private PythonEnv() {
    }

    /** The lock digest of the environment this bundle's unit runs (under this layout's state directory), or null (unlocked). */
    public static String namedBy(Bundle bundle, RemoteLayout layout) {
        byte[] unit = bundle.files().get(Bundle.UNIT);
        if (unit == null) {
            return null;
        }
        Matcher m = EXEC.matcher(new String(unit, StandardCharsets.UTF_8));
        return m.find() && m.group(1).equals(layout.stateDir()) ? m.group(2) : null;
    }

    /** The host lacks the environment this bundle's unit runs. */
    public static boolean needed(Bundle bundle, RemoteLayout layout, HostState state) {
        String sha = namedBy(bundle, layout);
        return sha != null && !state.pythonEnvs().contains(sha);
    }

    /**
     * A unit that runs an environment must come with the lock it was made from (checked before any host is contacted): the
     * server builds the environment from that file and names it by its digest.
     */
    public static void checkLock(Bundle bundle, RemoteLayout layout) {
        String sha = namedBy(bundle, layout);
        if (sha == null) {
            return;
        }
        byte[] lock = bundle.files().get(LOCK);
        if (lock == null) {
            throw new IllegalArgumentException("the bundle's unit runs the Python environment " + sha.substring(0, 12) + " but the bundle"
                    + " holds no " + LOCK + " to build it from; build the bundle again with `litellm-deploy build --lock " + LOCK + " ...`");
        }
        if (!Bundle.sha256(lock).equals(sha)) {
            throw new IllegalArgumentException("the bundle's unit runs the Python environment " + sha.substring(0, 12) + ", but its " + LOCK
                    + " hashes to " + Bundle.sha256(lock).substring(0, 12) + "; build the bundle again");
        }
    }
}
