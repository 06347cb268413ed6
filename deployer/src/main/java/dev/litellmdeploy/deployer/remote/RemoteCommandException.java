package dev.litellmdeploy.deployer.remote;

/** A remote command failed, timed out, or the connection under it broke. The message names the step's command, not secrets. */
public class RemoteCommandException extends Exception {
    private final int exitStatus;
    private final String stderr;

    public RemoteCommandException(String message, int exitStatus, String stderr) {
        super(message);
        this.exitStatus = exitStatus;
        this.stderr = stderr == null ? "" : stderr;
    }

    public RemoteCommandException(String message, Throwable cause) {
        super(message, cause);
        this.exitStatus = -1;
        this.stderr = "";
    }

    public int exitStatus() {
        return exitStatus;
    }

    public String stderr() {
        return stderr;
    }
}
