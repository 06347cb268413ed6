package dev.litellmdeploy.deployer;

/**
 * A check or step failed on a host, with a message for people (never a secret). What the failure did to the host is not in
 * here: the step runner knows it from the undo stack and reports it as the exact {@link HostResult.Outcome}.
 */
public class DeployFailedException extends Exception {
    public DeployFailedException(String message) {
        super(message);
    }

    public DeployFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
