package dev.litellmdeploy.deployer.remote;

/** What a remote command did: exit status and its output. */
public record ExecResult(int exitStatus, String stdout, String stderr) {
    public boolean ok() {
        return exitStatus == 0;
    }
}
