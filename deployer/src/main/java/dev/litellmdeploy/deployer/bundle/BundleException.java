package dev.litellmdeploy.deployer.bundle;

/** The bundle directory is missing, incomplete or does not match its manifest. Nothing was sent anywhere. */
public class BundleException extends Exception {
    public BundleException(String message) {
        super(message);
    }

    public BundleException(String message, Throwable cause) {
        super(message, cause);
    }
}
