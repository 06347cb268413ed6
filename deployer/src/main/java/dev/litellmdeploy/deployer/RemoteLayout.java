package dev.litellmdeploy.deployer;

/**
 * Where things live on the server (defaults below; all configurable). Keep in step with the
 * unit the bundle carries: it names the config path, the service user and home.
 */
public record RemoteLayout(
        String unitName,
        String unitPath,
        String configDir,
        String configPath,
        String envPath,
        String serviceUser,
        String serviceHome,
        String stateDir,
        String uvxPath) {

    public static RemoteLayout defaults() {
        return new RemoteLayout("litellm.service", "/etc/systemd/system/litellm.service", "/etc/litellm",
                "/etc/litellm/config.yaml", "/etc/litellm/litellm.env", "litellm", "/opt/litellm", "/var/lib/litellm-deploy",
                "/usr/local/lib/litellm-deploy/uv/uvx");
    }

    public String releasesDir() {
        return stateDir + "/releases";
    }

    public String currentLink() {
        return stateDir + "/current";
    }

    public String lockFile() {
        return stateDir + "/lock";
    }

    public String auditLog() {
        return stateDir + "/audit.log";
    }

    public String release(String id) {
        return releasesDir() + "/" + id;
    }
}
