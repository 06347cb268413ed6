package dev.litellmdeploy.builder;

import java.util.Map;
import java.util.TreeMap;

/**
 * How the bundle's service is set up: what the unit template gets.
 *
 * @param litellmVersion  LiteLLM version pinned in the unit (litellm==VERSION)
 * @param pythonVersion   Python version uv runs it with
 * @param host            address the proxy listens on
 * @param port            port the proxy listens on
 * @param serviceUser     system user the service runs as
 * @param serviceHome     that user's home: uv cache and Python live here
 * @param configPath      where config.yaml is installed
 * @param envFileMode     move secrets out of config.yaml into litellm.env (installed 0600)
 * @param envFilePath     where litellm.env is installed
 * @param uvxPath         the uvx binary the unit runs
 * @param allowNoAuth     accept no master key on a non-loopback address
 * @param environment     extra environment for the unit (e.g. UV_INDEX_URL, UV_PYTHON_INSTALL_MIRROR); no secrets
 * @param sourceRevision  the revision the inputs came from (recorded in the manifest only)
 * @param pythonLock      the hash-pinned environment (requirements.lock) the unit runs LiteLLM from, built once per lock on the
 *                        server under {@link #ENVS_DIR}; null: unlocked, the unit resolves LiteLLM's dependencies with uvx at start
 */
public record BundleOptions(
        String litellmVersion,
        String pythonVersion,
        String host,
        int port,
        String serviceUser,
        String serviceHome,
        String configPath,
        boolean envFileMode,
        String envFilePath,
        String uvxPath,
        boolean allowNoAuth,
        Map<String, String> environment,
        String sourceRevision,
        PythonLock pythonLock) {

    public static final String DEFAULT_LITELLM_VERSION = "1.80.9";
    /** Where the server keeps one environment per lock (the deployer's state directory + /envs; docs/python-env.md). */
    public static final String ENVS_DIR = "/var/lib/litellm-deploy/envs";

    /** Everything here ends up in the unit's ExecStart or Environment lines: only plain values pass. */
    public BundleOptions {
        environment = Map.copyOf(new TreeMap<>(environment == null ? Map.of() : environment));
        require(litellmVersion, "[A-Za-z0-9][A-Za-z0-9.+!_-]*", "the LiteLLM version", "like 1.80.9");
        require(pythonVersion, "[A-Za-z0-9][A-Za-z0-9.@+_-]*", "the Python version", "like 3.11");
        require(host, "[A-Za-z0-9.:_%-]+", "the listen address", "like 0.0.0.0 or 127.0.0.1");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("the service port must be between 1 and 65535, not " + port);
        }
        if (sourceRevision != null && (sourceRevision.length() > 256
                || sourceRevision.chars().anyMatch(ch -> ch < 0x20 || ch == 0x7f || (ch >= 0x80 && ch < 0xa0)))) {
            throw new IllegalArgumentException("the source revision holds a control character or is longer than 256 characters;"
                    + " it must be one plain line (a commit id or tag)");
        }
        for (Map.Entry<String, String> e : environment.entrySet()) {
            require(e.getKey(), "[A-Za-z_][A-Za-z0-9_]*", "a unit environment name", "like UV_INDEX_URL");
            if (e.getValue() == null || e.getValue().chars().anyMatch(ch -> ch < 0x20 || ch == 0x7f)) {
                throw new IllegalArgumentException("the unit environment value of " + e.getKey()
                        + " holds a line break or control character; a value must be one plain line");
            }
        }
    }

    private static void require(String value, String pattern, String what, String example) {
        if (value == null || !value.matches(pattern)) {
            throw new IllegalArgumentException(what + " '" + value + "' is not accepted (" + example + "): it is written into"
                    + " the systemd unit");
        }
    }

    public static BundleOptions defaults() {
        return new BundleOptions(DEFAULT_LITELLM_VERSION, "3.11", "0.0.0.0", 4000, "litellm", "/opt/litellm",
                "/etc/litellm/config.yaml", false, "/etc/litellm/litellm.env", "/usr/local/lib/litellm-deploy/uv/uvx", false, Map.of(), null, null);
    }

    public BundleOptions withEnvFileMode(boolean on) {
        return new BundleOptions(litellmVersion, pythonVersion, host, port, serviceUser, serviceHome, configPath, on,
                envFilePath, uvxPath, allowNoAuth, environment, sourceRevision, pythonLock);
    }

    public BundleOptions withListen(String newHost, int newPort) {
        return new BundleOptions(litellmVersion, pythonVersion, newHost, newPort, serviceUser, serviceHome, configPath,
                envFileMode, envFilePath, uvxPath, allowNoAuth, environment, sourceRevision, pythonLock);
    }

    public BundleOptions withLitellmVersion(String version) {
        return new BundleOptions(version, pythonVersion, host, port, serviceUser, serviceHome, configPath, envFileMode,
                envFilePath, uvxPath, allowNoAuth, environment, sourceRevision, pythonLock);
    }

    public BundleOptions withAllowNoAuth(boolean allow) {
        return new BundleOptions(litellmVersion, pythonVersion, host, port, serviceUser, serviceHome, configPath,
                envFileMode, envFilePath, uvxPath, allow, environment, sourceRevision, pythonLock);
    }

    public BundleOptions withSourceRevision(String revision) {
        return new BundleOptions(litellmVersion, pythonVersion, host, port, serviceUser, serviceHome, configPath,
                envFileMode, envFilePath, uvxPath, allowNoAuth, environment, revision, pythonLock);
    }

    public BundleOptions withPythonVersion(String version) {
        return new BundleOptions(litellmVersion, version, host, port, serviceUser, serviceHome, configPath, envFileMode,
                envFilePath, uvxPath, allowNoAuth, environment, sourceRevision, pythonLock);
    }

    public BundleOptions withEnvironment(Map<String, String> env) {
        return new BundleOptions(litellmVersion, pythonVersion, host, port, serviceUser, serviceHome, configPath,
                envFileMode, envFilePath, uvxPath, allowNoAuth, env, sourceRevision, pythonLock);
    }

    public BundleOptions withPythonLock(PythonLock lock) {
        return new BundleOptions(litellmVersion, pythonVersion, host, port, serviceUser, serviceHome, configPath, envFileMode,
                envFilePath, uvxPath, allowNoAuth, environment, sourceRevision, lock);
    }

    /**
     * Locked to this lock: its environment, and its LiteLLM and Python versions for those the user did not set (a version
     * the user set stays, and the build's lock-version check compares it with the pin).
     */
    public BundleOptions lockedTo(PythonLock lock, boolean litellmVersionSet, boolean pythonVersionSet) {
        return withPythonLock(lock).withLitellmVersion(litellmVersionSet ? litellmVersion : lock.litellmVersion())
                .withPythonVersion(pythonVersionSet ? pythonVersion : lock.pythonVersion());
    }

    /** The environment the unit runs LiteLLM from (ENVS_DIR/LOCK_SHA256/venv), or null when unlocked. */
    public String pythonEnv() {
        return pythonLock == null ? null : pythonLock.envDir(ENVS_DIR);
    }

    ValidationOptions validation() {
        return new ValidationOptions(host, allowNoAuth, litellmVersion);
    }
}
