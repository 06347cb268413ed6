package dev.litellmdeploy.deployer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.litellmdeploy.deployer.ssh.HostKeyPolicy;
import dev.litellmdeploy.deployer.ssh.SshSettings;
import dev.litellmdeploy.testsupport.TestKeys;

/**
 * How many hosts one deploy contacts at once by default. Every host of a parallel stage gets the release whatever another's
 * outcome (--canary and --rolling are what stop a bad release), so the bound only decides how long a fleet waits: with 4,
 * 32 hosts 150 ms away took 8 waves. The hosts here are loopback listeners that accept and never answer, so every SSH
 * connection stays open until its connect timeout and the listeners count how many were open at the same time.
 */
class FleetFanOutTest {
    private static final int HOSTS = 32;

    @Test
    void aThirtyTwoHostFleetIsContactedAllAtOnceByDefault(@TempDir Path work) throws Exception {
        AtomicInteger open = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        List<ServerSocket> listeners = new ArrayList<>();
        List<Socket> accepted = new CopyOnWriteArrayList<>();
        List<HostTarget> hosts = new ArrayList<>();
        try {
            for (int i = 0; i < HOSTS; i++) {
                ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
                listeners.add(listener);
                hosts.add(new HostTarget("127.0.0.1", listener.getLocalPort()));
                Thread t = new Thread(() -> {
                    try (Socket s = listener.accept()) {
                        accepted.add(s);
                        most.accumulateAndGet(open.incrementAndGet(), Math::max);
                        s.getInputStream().transferTo(java.io.OutputStream.nullOutputStream()); // until the client gives up
                        open.decrementAndGet();
                    } catch (IOException e) {
                        // closed at the end of the test
                    }
                });
                t.setDaemon(true);
                t.start();
            }
            SshSettings ssh = new SshSettings("root", TestKeys.ed25519().privateKeyOpenSsh(), null, HostKeyPolicy.fingerprint(), null,
                    Duration.ofSeconds(2)).withAcceptNew();
            DeployResult r = new Deployer(ssh, DeploySettings.defaults(), DeployListener.NONE).deploy(Fixtures.exampleBundle(work.resolve("b")), hosts);

            assertEquals(HOSTS, r.hosts().size());
            assertTrue(r.hosts().stream().allMatch(h -> h.outcome() == HostResult.Outcome.CONNECTION_FAILED), r.toString());
            assertEquals(HOSTS, most.get(), "hosts whose SSH connection was open at the same time");
        } finally {
            for (ServerSocket l : listeners) {
                l.close();
            }
            for (Socket s : accepted) {
                s.close();
            }
        }
    }
}
