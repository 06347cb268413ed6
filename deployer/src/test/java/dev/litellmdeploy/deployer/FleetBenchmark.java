package dev.litellmdeploy.deployer;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import com.sun.management.OperatingSystemMXBean;

import dev.litellmdeploy.deployer.bundle.Bundle;
import dev.litellmdeploy.deployer.ssh.HostKeyPolicy;
import dev.litellmdeploy.deployer.ssh.SshSettings;
import dev.litellmdeploy.testsupport.TcpRelay;
import dev.litellmdeploy.testsupport.TestHost;

/**
 * Not a test: the fleet benchmark of docs/performance.md ({@code bench/run fleet [RUNS] [HOSTS]}). One deployer (in this
 * JVM) deploys a changed config to 1, 8 and N hosts (default 32) in parallel, each host a test host of its own reached
 * through a {@link TcpRelay} with a 150 ms round trip. Prints the wall-time median per fleet size and its ratio to one
 * host, and the deployer's own CPU time (this process; the hosts run in containers) and heap growth per host.
 */
public final class FleetBenchmark {
    private static final Duration RTT = Duration.ofMillis(150);

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        int max = args.length > 1 ? Integer.parseInt(args[1]) : 32;
        Path work = Files.createTempDirectory("litellm-deploy-fleet");
        List<TestHost> hosts = new ArrayList<>();
        List<TcpRelay> relays = new ArrayList<>();
        List<String> report = new ArrayList<>();
        ExecutorService starter = Executors.newFixedThreadPool(4);
        try {
            List<Future<TestHost>> starting = new ArrayList<>();
            for (int i = 0; i < max; i++) {
                starting.add(starter.submit(() -> new TestHost().start()));
            }
            for (Future<TestHost> f : starting) {
                hosts.add(f.get());
            }
            TestHost first = hosts.get(0);
            StringBuilder known = new StringBuilder();
            List<HostTarget> targets = new ArrayList<>();
            for (TestHost h : hosts) {
                h.authorize(first.keys().authorizedKeysLine());
                TcpRelay relay = TcpRelay.withRoundTrip(h.host(), h.sshPort(), RTT);
                relays.add(relay);
                known.append(h.knownHostsLine("127.0.0.1", relay.port())).append('\n');
                targets.add(new HostTarget("127.0.0.1", relay.port()));
            }
            SshSettings ssh = new SshSettings("root", first.keys().privateKeyOpenSsh(), null, HostKeyPolicy.knownHosts(known.toString()), null,
                    Duration.ofSeconds(60));
            Bundle a = Fixtures.exampleBundle(work.resolve("a"));
            Bundle b = Fixtures.exampleBundle(work.resolve("b"), Map.of("40-x", "- model_name: bench-x\n  litellm_params: {model: openai/x}\n"), Map.of());
            DeploySettings settings = Fixtures.settings(work.resolve("uv")).withReadyTimeout(Duration.ofSeconds(300)).withHosts(max, false);
            check(new Deployer(ssh, settings, DeployListener.NONE).deploy(a, targets)); // first deploys (helper, uv), not measured
            OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
            long oneHost = 0;
            boolean toB = true;
            for (int n : sizes(max)) {
                long[] wall = new long[runs];
                long cpu = 0;
                long heap = 0;
                for (int i = 0; i < runs; i++) {
                    System.gc();
                    long heapBefore = memory.getHeapMemoryUsage().getUsed();
                    AtomicLong peak = new AtomicLong(heapBefore);
                    AtomicBoolean running = new AtomicBoolean(true);
                    Thread sampler = new Thread(() -> {
                        while (running.get()) {
                            peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                            try {
                                Thread.sleep(20);
                            } catch (InterruptedException e) {
                                return;
                            }
                        }
                    });
                    sampler.start();
                    long cpuBefore = os.getProcessCpuTime();
                    long start = System.nanoTime();
                    check(new Deployer(ssh, settings, DeployListener.NONE).deploy(toB ? b : a, targets.subList(0, n)));
                    wall[i] = (System.nanoTime() - start) / 1_000_000;
                    cpu += os.getProcessCpuTime() - cpuBefore;
                    running.set(false);
                    sampler.join();
                    heap += peak.get() - heapBefore;
                    toB = !toB;
                    if (n < max) { // keep every host on the same config: the others get this one too, unmeasured
                        check(new Deployer(ssh, settings, DeployListener.NONE).deploy(toB ? a : b, targets.subList(n, max)));
                    }
                }
                long median = Bench.median(wall);
                if (n == 1) {
                    oneHost = median;
                }
                report.add(String.format("| %d | %d | %.2f | %.0f | %.1f |", n, median, median / (double) oneHost, cpu / 1e6 / runs / n,
                        heap / 1e6 / runs / n));
            }
        } finally {
            relays.forEach(TcpRelay::close);
            hosts.forEach(TestHost::close);
            starter.shutdown();
        }
        System.out.println();
        System.out.println("fleet benchmark: changed config, " + RTT.toMillis() + " ms RTT to every host, median of " + runs + " runs, "
                + Runtime.getRuntime().availableProcessors() + " cores:");
        System.out.println("| hosts | wall ms | ratio to 1 host | deployer CPU ms per host | deployer heap growth MB per host (peak) |");
        System.out.println("|---|---|---|---|---|");
        report.forEach(System.out::println);
    }

    private static int[] sizes(int max) {
        return max <= 1 ? new int[] {1} : max <= 8 ? new int[] {1, max} : new int[] {1, 8, max};
    }

    private static void check(DeployResult r) {
        for (HostResult h : r.hosts()) {
            if (!h.outcome().ok()) {
                throw new IllegalStateException(h.host() + ": " + h.outcome() + ": " + h.message());
            }
        }
    }

}
