package dev.litellmdeploy.deployer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import dev.litellmdeploy.deployer.bundle.Bundle;
import dev.litellmdeploy.deployer.ssh.HostKeyPolicy;
import dev.litellmdeploy.deployer.ssh.SshSettings;

/**
 * A deploy in its own JVM, for the fault test that kills the deployer: prints each step as it
 * starts so the parent knows when to kill it.
 * Arguments: BUNDLE_DIR HOST PORT KEY_FILE FINGERPRINT UV_ARCHIVE.
 */
public final class DeployMain {
    private DeployMain() {
    }

    public static void main(String[] args) throws Exception {
        SshSettings ssh = new SshSettings("root", Files.readString(Path.of(args[3])), null, HostKeyPolicy.fingerprint(args[4]), null,
                Duration.ofSeconds(20));
        DeploySettings settings = DeploySettings.defaults().withUv(UvSource.localFile(Path.of(args[5]))).withActor("doomed-deployer")
                .withReadyTimeout(Duration.ofSeconds(60));
        DeployListener steps = new DeployListener() {
            @Override
            public void stepStarted(HostTarget host, String step) {
                System.out.println("STEP " + step);
                System.out.flush();
            }
        };
        DeployResult r = new Deployer(ssh, settings, steps).deploy(Bundle.read(Path.of(args[0])),
                List.of(new HostTarget(args[1], Integer.parseInt(args[2]))));
        System.out.println("RESULT " + r.hosts().get(0).outcome());
    }
}
