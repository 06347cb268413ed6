package dev.litellmdeploy.deployer;

/**
 * The release itself failed its proof (it did not start, was not ready in time, crash-looped, did not serve the bundle's
 * models, refused the master key, did not stay up): only then is it marked FAILED on the host and never offered as a
 * rollback target. A deploy-time problem (a lost connection, a helper call that failed, the proxy) is not the release's
 * fault and leaves it a good release.
 */
public class ReleaseFailed extends DeployFailedException {
    public ReleaseFailed(String message) {
        super(message);
    }

    public ReleaseFailed(String message, Throwable cause) {
        super(message, cause);
    }
}
