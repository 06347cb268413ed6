package dev.litellmdeploy.cli.demo;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.UUID;

import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.apache.sshd.common.util.security.SecurityUtils;

/**
 * A throwaway "server" for the demo: the tests' systemd + OpenSSH image (built from the checkout's
 * test-support/src/main/resources/testhost), a fresh key authorized for root, and its host key.
 * The key lives in the demo's workspace, and the container is registered with it before it is
 * started, so closing the workspace (or the JVM ending) removes both.
 */
public final class DemoHost {
    public static final String IMAGE = "litellm-deploy-testhost:latest";
    private final String container;
    private final int sshPort;
    private final int servicePort;
    private final Path privateKey;
    private final String knownHostsLine;

    private DemoHost(String container, int sshPort, int servicePort, Path privateKey, String knownHostsLine) {
        this.container = container;
        this.sshPort = sshPort;
        this.servicePort = servicePort;
        this.privateKey = privateKey;
        this.knownHostsLine = knownHostsLine;
    }

    public static DemoHost start(Path projectRoot, DemoWorkspace workspace) throws IOException, InterruptedException, GeneralSecurityException {
        Path workDir = workspace.dir();
        Docker.run("build", "-q", "-t", IMAGE, projectRoot.resolve("test-support/src/main/resources/testhost").toString());
        KeyPairGenerator generator = SecurityUtils.getKeyPairGenerator(SecurityUtils.EDDSA);
        KeyPair pair = generator.generateKeyPair();
        ByteArrayOutputStream pem = new ByteArrayOutputStream();
        OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(pair, "litellm-deploy-demo", null, pem);
        Path key = workDir.resolve("id_ed25519");
        Files.write(key, pem.toByteArray());
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
        String name = "litellm-deploy-demo-" + UUID.randomUUID().toString().substring(0, 8);
        Files.writeString(workDir.resolve(DemoWorkspace.CONTAINER_FILE), name + "\n");
        workspace.onExit(() -> remove(name));
        Docker.run("run", "-d", "--name", name, "--cap-add", "SYS_ADMIN", "--cap-add", "NET_ADMIN",
                "--security-opt", "seccomp=unconfined", "--security-opt", "apparmor=unconfined", "--cgroupns=host",
                "-v", "/sys/fs/cgroup:/sys/fs/cgroup:rw", "--tmpfs", "/run", "--tmpfs", "/run/lock",
                "-p", "127.0.0.1::22", "-p", "127.0.0.1::4000", IMAGE, "/lib/systemd/systemd");
        try {
            String state = "";
            for (int i = 0; i < 60 && !state.equals("running"); i++) {
                try {
                    state = Docker.run("exec", name, "systemctl", "is-system-running", "--wait");
                } catch (IOException e) {
                    state = e.getMessage();
                    Thread.sleep(500);
                }
            }
            if (!state.equals("running")) {
                throw new IOException("the demo host did not boot (systemd says: " + state + ")");
            }
            String line = PublicKeyEntry.toString(pair.getPublic()) + " litellm-deploy-demo";
            Docker.run("exec", name, "sh", "-c", "printf '%s\\n' '" + line + "' >> /root/.ssh/authorized_keys && chmod 600 /root/.ssh/authorized_keys");
            String[] hostKey = Docker.run("exec", name, "cat", "/etc/ssh/ssh_host_ed25519_key.pub").split(" ");
            int ssh = port(Docker.run("port", name, "22/tcp"));
            int service = port(Docker.run("port", name, "4000/tcp"));
            return new DemoHost(name, ssh, service, key, "[127.0.0.1]:" + ssh + " " + hostKey[0] + " " + hostKey[1]);
        } catch (IOException | InterruptedException | RuntimeException e) {
            remove(name);
            throw e;
        }
    }

    private static int port(String dockerPort) {
        String first = dockerPort.lines().findFirst().orElse("");
        return Integer.parseInt(first.substring(first.lastIndexOf(':') + 1).strip());
    }

    public String container() {
        return container;
    }

    public int sshPort() {
        return sshPort;
    }

    public int servicePort() {
        return servicePort;
    }

    public Path privateKey() {
        return privateKey;
    }

    public String knownHostsLine() {
        return knownHostsLine;
    }

    public String privateKeyText() throws IOException {
        return Files.readString(privateKey, StandardCharsets.US_ASCII);
    }

    /** Removes a demo container, whatever state it is in (also from the shutdown hook). */
    static void remove(String container) {
        try {
            Docker.run("rm", "-f", container);
        } catch (IOException e) {
            // gone already, or Docker is down: `docker ps -a` shows what is left
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
