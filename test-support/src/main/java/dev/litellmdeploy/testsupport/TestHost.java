package dev.litellmdeploy.testsupport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.apache.sshd.common.config.keys.AuthorizedKeyEntry;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.testcontainers.containers.Container.ExecResult;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;

import com.github.dockerjava.api.model.Capability;

/**
 * A disposable "remote server" for tests: systemd as PID 1 and OpenSSH in Docker, built from
 * {@code testhost/Dockerfile}, reachable on a mapped port of localhost.
 *
 * <p>Each host gets a fresh ed25519 key pair authorized for {@code root}, {@code deploy}
 * (passwordless sudo) and {@code askpass} (sudo wants a password), and fresh host keys, whose
 * public half {@link #hostPublicKey()} returns so clients can verify it strictly.
 *
 * <p>Use one per test class: {@code @RegisterExtension static final TestHost host = new TestHost();}
 *
 * <p>Over 250 lines: the container's whole life cycle (image, keys, users, boot check, exec, reboot, journal hand-off to
 * the leak guard) is one fixture that every container test uses the same way.
 * starts it before the class and removes it after (Ryuk is off where the tests run, so the
 * fixture cleans up itself).
 */
public final class TestHost implements BeforeAllCallback, AfterAllCallback, AutoCloseable {
    public static final String ROOT = "root";
    public static final String SUDO_USER = "deploy";
    public static final String PASSWORD_SUDO_USER = "askpass";
    public static final int SSH_PORT = 22;

    private final List<Integer> extraPorts = new ArrayList<>();
    private final List<String> aliases = new ArrayList<>();
    private boolean withoutUv;
    private Network network;
    private TestKeys keys;
    private GenericContainer<?> container;
    private PublicKey hostKey;
    private String hostKeyLine;

    /** Also map this container port to a localhost port (see {@link #mappedPort(int)}). */
    public TestHost withExposedPort(int port) {
        extraPorts.add(port);
        return this;
    }

    /** A bare host: no uv on it (the LiteLLM stand-in stays where uv would fetch LiteLLM from), as a fresh server has none. */
    public TestHost withoutUv() {
        this.withoutUv = true;
        return this;
    }

    /** Join a Docker network under these aliases (for tests that run other containers beside it). */
    public TestHost withNetwork(Network network, String... networkAliases) {
        this.network = network;
        aliases.addAll(List.of(networkAliases));
        return this;
    }

    private volatile int sshPortAfterReboot;

    public synchronized TestHost start() {
        if (container != null) {
            return this;
        }
        MachinePreparation.ensureReady();
        keys = TestKeys.ed25519();
        GenericContainer<?> c = new GenericContainer<>(TestHostImage.get())
                .withCreateContainerCmdModifier(cmd -> Objects.requireNonNull(cmd.getHostConfig())
                        .withCapAdd(Capability.SYS_ADMIN, Capability.NET_ADMIN)
                        .withSecurityOpts(List.of("seccomp=unconfined", "apparmor=unconfined"))
                        .withCgroupnsMode("host")
                        .withBinds(com.github.dockerjava.api.model.Bind.parse("/sys/fs/cgroup:/sys/fs/cgroup:rw")))
                .withTmpFs(java.util.Map.of("/run", "rw", "/run/lock", "rw"))
                .waitingFor(Wait.forListeningPorts(SSH_PORT).withStartupTimeout(Duration.ofMinutes(2)));
        List<Integer> ports = new ArrayList<>(List.of(SSH_PORT));
        ports.addAll(extraPorts);
        c.withExposedPorts(ports.toArray(Integer[]::new));
        if (network != null) {
            c.withNetwork(network).withNetworkAliases(aliases.toArray(String[]::new));
        }
        container = c;
        try {
            c.start();
            awaitBoot();
            authorize(keys.authorizedKeysLine());
            if (withoutUv) {
                exec("rm -f /usr/local/bin/uv /usr/local/bin/uvx /usr/local/lib/litellm-deploy/uv/uv /usr/local/lib/litellm-deploy/uv/uvx");
            }
            hostKeyLine = exec("cat /etc/ssh/ssh_host_ed25519_key.pub").trim();
            hostKey = parsePublicKey(hostKeyLine);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        return this;
    }

    private void awaitBoot() {
        String running = "";
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (running.isEmpty() && System.nanoTime() < deadline) {
            // right after a (re)start systemd may not answer on its bus yet: systemctl prints nothing
            running = execResult("timeout 60 systemctl is-system-running --wait").getStdout().trim();
            if (running.isEmpty()) {
                sleep(300);
            }
        }
        if (!"running".equals(running)) {
            String failed = execResult("systemctl --failed --no-legend --plain").getStdout();
            throw new IllegalStateException("test host did not reach 'running' but '" + running + "'; failed units:\n" + failed);
        }
        // sshd is up once systemd is running (ssh.service is part of multi-user.target)
        exec("systemctl is-active --quiet ssh.service");
    }

    /** Authorizes a public key (an authorized_keys line) for root, the sudo user and the password-sudo user. */
    public void authorize(String authorizedKeysLine) {
        if (!authorizedKeysLine.matches("[A-Za-z0-9@.+/=_ -]+")) {
            throw new IllegalArgumentException("not an authorized_keys line: " + authorizedKeysLine);
        }
        for (String user : List.of(ROOT, SUDO_USER, PASSWORD_SUDO_USER)) {
            String dir = ROOT.equals(user) ? "/root/.ssh" : "/home/" + user + "/.ssh";
            exec("install -d -m 0700 -o " + user + " -g " + user + " " + dir
                    + " && printf '%s\\n' '" + authorizedKeysLine + "' >> " + dir + "/authorized_keys"
                    + " && chown " + user + ":" + user + " " + dir + "/authorized_keys && chmod 0600 " + dir + "/authorized_keys");
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static PublicKey parsePublicKey(String line) {
        try {
            return AuthorizedKeyEntry.parseAuthorizedKeyEntry(line).resolvePublicKey(null, PublicKeyEntryResolver.FAILING);
        } catch (IOException | java.security.GeneralSecurityException e) {
            throw new IllegalStateException("cannot parse the test host's key: " + line, e);
        }
    }

    /** Runs a shell command as root inside the container (test set-up and inspection); fails on non-zero exit. */
    public String exec(String shellCommand) {
        ExecResult result = execResult(shellCommand);
        if (result.getExitCode() != 0) {
            throw new IllegalStateException("'" + shellCommand + "' exited " + result.getExitCode() + ": " + result.getStderr());
        }
        return result.getStdout();
    }

    public ExecResult execResult(String shellCommand) {
        try {
            return running().execInContainer(StandardCharsets.UTF_8, "bash", "-c", shellCommand);
        } catch (IOException e) {
            throw new IllegalStateException("docker exec failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    public String host() {
        return running().getHost();
    }

    public int sshPort() {
        return sshPortAfterReboot > 0 ? sshPortAfterReboot : running().getMappedPort(SSH_PORT);
    }

    /**
     * Restarts the container like a hard reboot (killed after 2 s, then booted: the service starts
     * again if enabled) and waits until it is running again. Docker maps port 22 anew: returns the new port,
     * which {@link #sshPort()} reports from now on. The host key survives (it is generated once).
     */
    public synchronized int reboot() {
        var docker = running().getDockerClient();
        String id = running().getContainerId();
        docker.restartContainerCmd(id).withTimeout(2).exec();
        var bindings = docker.inspectContainerCmd(id).exec().getNetworkSettings().getPorts().getBindings();
        sshPortAfterReboot = Integer.parseInt(bindings.get(com.github.dockerjava.api.model.ExposedPort.tcp(SSH_PORT))[0].getHostPortSpec());
        awaitBoot();
        return sshPortAfterReboot;
    }

    public int mappedPort(int containerPort) {
        return running().getMappedPort(containerPort);
    }

    public TestKeys keys() {
        running();
        return keys;
    }

    public PublicKey hostPublicKey() {
        running();
        return hostKey;
    }

    /** The host key as an OpenSSH known_hosts line for the mapped address: {@code [localhost]:PORT ssh-ed25519 AAAA...}. */
    public String knownHostsLine() {
        return knownHostsLine(host(), sshPort());
    }

    /** The host key as a known_hosts line for another address of it (a relay in front: {@code [127.0.0.1]:RELAY_PORT ...}). */
    public String knownHostsLine(String address, int port) {
        running();
        String[] parts = hostKeyLine.split(" ");
        return "[" + address + "]:" + port + " " + parts[0] + " " + parts[1];
    }

    /** The host key's fingerprint as OpenSSH prints it: {@code SHA256:...}. */
    public String hostKeyFingerprint() {
        return KeyUtils.getFingerPrint(hostPublicKey());
    }

    public GenericContainer<?> container() {
        return running();
    }

    private GenericContainer<?> running() {
        if (container == null || !container.isRunning()) {
            throw new IllegalStateException("the test host is not running; call start() first");
        }
        return container;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        start();
    }

    /** Stops the host after checking its whole journal (sshd, sudo, the service) for secrets. */
    @Override
    public void afterAll(ExtensionContext context) {
        try {
            if (container != null && container.isRunning()) {
                LeakGuard.check("the journal of the test host of " + context.getDisplayName(), exec("journalctl --no-pager -o cat"));
            }
        } finally {
            close();
        }
    }

    @Override
    public synchronized void close() {
        if (container != null) {
            container.stop();
            container = null;
        }
    }
}
