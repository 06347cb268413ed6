package dev.litellmdeploy.deployer;

/** A deploy step failed on a host. {@code rolledBack}: the previous release was restored and proven ready. */
public class DeployFailedException extends Exception {
    private final boolean rolledBack;
    private final boolean filesInstalled;

    public DeployFailedException(String message, boolean filesInstalled, boolean rolledBack, Throwable cause) {
        super(message, cause);
        this.filesInstalled = filesInstalled;
        this.rolledBack = rolledBack;
    }

    public boolean rolledBack() {
        return rolledBack;
    }

    public boolean filesInstalled() {
        return filesInstalled;
    }
}
