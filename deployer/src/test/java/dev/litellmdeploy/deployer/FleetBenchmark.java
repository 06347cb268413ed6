package dev.litellmdeploy.deployer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

import dev.litellmdeploy.deployer.bundle.Bundle;
import dev.litellmdeploy.deployer.ssh.HostKeyPolicy;
import dev.litellmdeploy.deployer.ssh.SshSettings;
import dev.litellmdeploy.testsupport.MachinePreparation;
import dev.litellmdeploy.testsupport.TcpRelay;
import dev.litellmdeploy.testsupport.TestHost;

/**
 * Not a test: the fleet benchmark of docs/performance.md ({@code bench/run fleet [RUNS] [HOSTS]}). One
 * {@code ./litellm-deploy deploy} (a new JVM, as users run it, its default --parallel: 32 at once) to 1, 8 and N hosts (default 32), each a test host
 * of its own behind a {@link TcpRelay} with a 150 ms round trip (the relays run in this JVM, not in the deployer's). Two
 * deploys per run: a changed config (every host restarts its service) and a no-op (the same config again: nothing restarts).
 * For each it prints the wall-time median and its ratio to one host, what the deployer's own process costs ({@code
 * /usr/bin/time}: CPU seconds and peak resident memory, and what each host adds to them), and what the containers cost (the
 * CPU time their cgroups counted meanwhile), with the floor that CPU sets on this machine: (deployer + containers) / cores.
 */
public final class FleetBenchmark {
    private static final Duration RTT = Duration.ofMillis(150);
    private static final int CORES = Runtime.getRuntime().availableProcessors();

    /** Medians of one fleet size and one kind of deploy. */
    private record Figure(int hosts, long wallMs, double cpuS, double rssMb, double containersS) {
        double floorMs() {
            return (cpuS + containersS) / CORES * 1000;
        }
    }

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        int max = args.length > 1 ? Integer.parseInt(args[1]) : 32;
        Path work = Files.createTempDirectory("litellm-deploy-fleet");
        Path root = MachinePreparation.projectRoot();
        List<TestHost> hosts = new ArrayList<>();
        List<TcpRelay> relays = new ArrayList<>();
        List<Figure> changed = new ArrayList<>();
        List<Figure> noop = new ArrayList<>();
        String loadBefore = Files.readString(Path.of("/proc/loadavg")).trim();
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
            Path knownHosts = Files.writeString(work.resolve("known_hosts"), known);
            Path key = Files.writeString(work.resolve("id"), first.keys().privateKeyOpenSsh());
            Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
            SshSettings ssh = new SshSettings("root", first.keys().privateKeyOpenSsh(), null, HostKeyPolicy.knownHosts(known.toString()), null,
                    Duration.ofSeconds(60));
            Bundle a = Fixtures.exampleBundle(work.resolve("a"));
            Bundle b = Fixtures.exampleBundle(work.resolve("b"), Map.of("40-x", "- model_name: bench-x\n  litellm_params: {model: openai/x}\n"), Map.of());
            DeploySettings settings = Fixtures.settings(work.resolve("uv")).withReadyTimeout(Duration.ofSeconds(300)).withHosts(max, false);
            Deployer inProcess = new Deployer(ssh, settings, DeployListener.NONE);
            check(inProcess.deploy(a, targets)); // first deploys (helper, uv), not measured
            Bench.timed(List.of(root.resolve("litellm-deploy").toString(), "--version"), work); // records the CLI's class-data archive
            boolean onB = false; // which config every host runs
            for (int n : sizes(max)) {
                List<TestHost> measured = hosts.subList(0, n);
                String hostList = targets.subList(0, n).stream().map(HostTarget::toString).collect(Collectors.joining(","));
                List<long[]> changedRuns = new ArrayList<>();
                List<long[]> noopRuns = new ArrayList<>();
                for (int i = 0; i < runs; i++) {
                    onB = !onB;
                    List<String> cmd = List.of(root.resolve("litellm-deploy").toString(), "deploy", "--bundle", (onB ? b : a).dir().toString(),
                            "--host", hostList, "--key", key.toString(), "--known-hosts", knownHosts.toString());
                    changedRuns.add(measure(cmd, measured, work));
                    noopRuns.add(measure(cmd, measured, work));
                }
                if (n < max && runs % 2 == 1) { // keep every host on the same config, so that the next size's first deploy changes it everywhere
                    check(inProcess.deploy(onB ? b : a, targets.subList(n, max)));
                }
                changed.add(figure(n, changedRuns));
                noop.add(figure(n, noopRuns));
            }
        } finally {
            relays.forEach(TcpRelay::close);
            hosts.forEach(TestHost::close);
            starter.shutdown();
        }
        System.out.println();
        System.out.println("fleet benchmark: `./litellm-deploy deploy` (default --parallel), " + RTT.toMillis() + " ms RTT to every host, medians of " + runs
                + " runs, " + CORES + " cores; load average before: " + loadBefore + ", after: " + Files.readString(Path.of("/proc/loadavg")).trim());
        table("changed config (every host restarts its service)", changed);
        table("no-op (the same config again)", noop);
    }

    /** Runs one deploy: {wall ms, deployer CPU ms, deployer peak RSS KiB, the measured hosts' containers' CPU ms}. */
    private static long[] measure(List<String> cmd, List<TestHost> hosts, Path work) throws Exception {
        long containersBefore = containersCpuNanos(hosts);
        Bench.Timed t = Bench.timed(cmd, work);
        long containers = containersCpuNanos(hosts) - containersBefore;
        return new long[] {t.wallMs(), t.cpuMs(), t.maxRssKb(), containers / 1_000_000};
    }

    /** CPU time the hosts' containers used so far: their cgroups' cpuacct.usage (cgroup v1, as on this machine). */
    private static long containersCpuNanos(List<TestHost> hosts) throws Exception {
        long sum = 0;
        for (TestHost h : hosts) {
            Path usage = Path.of("/sys/fs/cgroup/cpuacct/docker", h.container().getContainerId(), "cpuacct.usage");
            sum += Files.exists(usage) ? Long.parseLong(Files.readString(usage).trim()) : 0;
        }
        return sum;
    }

    private static Figure figure(int hosts, List<long[]> runs) {
        return new Figure(hosts, median(runs, 0), median(runs, 1) / 1e3, median(runs, 2) / 1024.0, median(runs, 3) / 1e3);
    }

    private static long median(List<long[]> runs, int column) {
        return Bench.median(runs.stream().mapToLong(r -> r[column]).toArray());
    }

    private static void table(String title, List<Figure> figures) {
        Figure one = figures.get(0);
        System.out.println();
        System.out.println(title + ":");
        System.out.println("| hosts | wall ms | ratio to 1 host | deployer CPU s | deployer CPU per added host ms | deployer peak RSS MB"
                + " | RSS per added host MB | containers' CPU s | CPU floor ms ((deployer + containers) / " + CORES + " cores) |");
        System.out.println("|---|---|---|---|---|---|---|---|---|");
        for (Figure f : figures) {
            int added = f.hosts() - 1;
            System.out.printf("| %d | %d | %.2f | %.2f | %s | %.0f | %s | %.2f | %.0f |%n", f.hosts(), f.wallMs(), f.wallMs() / (double) one.wallMs(), f.cpuS(),
                    added == 0 ? "-" : String.format("%.0f", (f.cpuS() - one.cpuS()) * 1000 / added), f.rssMb(),
                    added == 0 ? "-" : String.format("%.1f", (f.rssMb() - one.rssMb()) / added), f.containersS(), f.floorMs());
        }
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
