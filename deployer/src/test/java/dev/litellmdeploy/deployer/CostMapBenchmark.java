package dev.litellmdeploy.deployer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.litellmdeploy.builder.BundleOptions;
import dev.litellmdeploy.builder.PythonLock;
import dev.litellmdeploy.deployer.bundle.Bundle;
import dev.litellmdeploy.testsupport.RealLiteLlm;
import dev.litellmdeploy.testsupport.TestHost;

/**
 * Not a test: what LITELLM_LOCAL_MODEL_COST_MAP does to the real LiteLLM's start on an offline server (docs/performance.md,
 * docs/offline.md). Run with {@code bench/run costmap [RUNS]} (the main class also takes a VERSION after RUNS). One test host, one locked release of the real LiteLLM
 * (the seed's version unless VERSION), then the host is cut off: no default route and a resolver on loopback that nothing
 * answers, so every name fails at once. Each round starts the unit in three ways, interleaved, and times `systemctl start` to
 * the first 200 of /health/readiness (measured on the host itself, no SSH in the figure):
 * <ul>
 * <li>{@code set}: LITELLM_LOCAL_MODEL_COST_MAP=True (LiteLLM reads its bundled map);</li>
 * <li>{@code unset, name fails}: the variable empty (a systemd drop-in; LiteLLM 1.80.9 fetches unless it is non-empty);</li>
 * <li>{@code unset, no answer}: the same, with raw.githubusercontent.com resolving to a loopback listener that accepts the
 * connection and never answers (what a black-holing firewall or a stalled proxy looks like from the server).</li>
 * </ul>
 * The stand-in world logs every name looked up and how long each fetch connection was held: what LiteLLM asks for at start and
 * how long it waits, which the start times (noisy on a busy machine) only show as a difference.
 */
public final class CostMapBenchmark {
    private static final String DROP_IN = "/etc/systemd/system/litellm.service.d/costmap-bench.conf";
    private static final String LOG = "/run/costmap-bench.log";
    private static final String FETCH_HOST = "raw.githubusercontent.com";

    private CostMapBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        RealLiteLlm litellm = RealLiteLlm.prepare(args.length > 1 ? args[1] : RealLiteLlm.SEED_VERSION);
        Path work = Files.createTempDirectory("litellm-deploy-costmap-bench");
        try (TestHost host = new TestHost().withoutUv().start()) {
            deploy(host, work, litellm);
            cutOff(host);
            Map<String, String> variants = new LinkedHashMap<>();
            variants.put("set (True)", "set");
            variants.put("unset, name fails at once", "unset");
            variants.put("unset, connection gets no answer", "silent");
            Map<String, List<Long>> times = new LinkedHashMap<>();
            Map<String, List<String>> seen = new LinkedHashMap<>();
            for (int round = 0; round < runs; round++) {
                for (Map.Entry<String, String> v : variants.entrySet()) {
                    apply(host, v.getValue());
                    seen(host);
                    times.computeIfAbsent(v.getKey(), k -> new ArrayList<>()).add(startToReady(host));
                    Thread.sleep(500);
                    seen.computeIfAbsent(v.getKey(), k -> new ArrayList<>()).add(seen(host));
                }
            }
            System.out.printf("costmap: LiteLLM %s, locked environment, offline test host, %d runs each (load %s)%n", litellm.version(), runs,
                    Files.readString(Path.of("/proc/loadavg")).strip());
            for (String v : variants.keySet()) {
                long[] t = times.get(v).stream().mapToLong(Long::longValue).toArray();
                System.out.printf("  %-34s start to /health/readiness 200: median %5d ms (min %d, max %d), each %s%n", v, Bench.median(t),
                        java.util.Arrays.stream(t).min().orElse(0), java.util.Arrays.stream(t).max().orElse(0), times.get(v));
                System.out.printf("  %-34s the world saw, per start: %s%n", "", seen.get(v));
            }
        }
    }

    /** A locked release of this version, installed offline from its wheelhouse, with LITELLM_LOCAL_MODEL_COST_MAP=True. */
    private static void deploy(TestHost host, Path work, RealLiteLlm litellm) throws Exception {
        PythonLock lock = RealLiteLlmFixtures.lock(litellm);
        Bundle bundle = RealLiteLlmFixtures.bundle(work, "costmap", BundleOptions.defaults().withLitellmVersion(lock.litellmVersion())
                .withEnvironment(RealLiteLlmFixtures.offline(litellm)).withPythonLock(lock), 9100);
        DeploySettings settings = DeploySettings.defaults().withUv(UvSource.localFile(litellm.uvArchive())).withReadyTimeout(Duration.ofMinutes(5))
                .withWheelhouse(RealLiteLlmFixtures.wheelhouse(litellm));
        HostResult r = new Deployer(Fixtures.ssh(host, TestHost.ROOT), settings, null).deploy(bundle, Fixtures.targets(host)).hosts().get(0);
        if (!r.outcome().ok()) {
            throw new IllegalStateException(r.message());
        }
    }

    /**
     * What stands in for the world on the cut-off host, as root, on loopback only: a resolver on 127.0.0.1:53 that refuses every
     * query at once and logs the name asked (so a name lookup fails as fast as on a host with no DNS, and every lookup LiteLLM
     * makes at start is seen), and a listener on 127.0.0.1:443 that accepts and never answers, logging how long each client held
     * its connection before giving up.
     */
    private static final String WORLD = """
            import socket, threading, time
            def log(line):
                with open('%s', 'a') as f:
                    f.write(line + '\\n')
            def dns():
                s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
                s.bind(('127.0.0.1', 53))
                while True:
                    q, peer = s.recvfrom(512)
                    labels, i = [], 12
                    while i < len(q) and q[i]:
                        labels.append(q[i + 1:i + 1 + q[i]].decode('ascii', 'replace'))
                        i += 1 + q[i]
                    log('dns ' + '.'.join(labels))
                    s.sendto(q[:2] + bytes([0x81, 0x85]) + q[4:6] + bytes(6) + q[12:i + 5], peer)
            def hold(c, t0):
                while c.recv(4096):
                    pass
                log('held %%.1f' %% (time.time() - t0))
            threading.Thread(target=dns, daemon=True).start()
            s = socket.socket()
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.bind(('127.0.0.1', 443))
            s.listen(64)
            while True:
                c, _ = s.accept()
                threading.Thread(target=hold, args=(c, time.time()), daemon=True).start()
            """.formatted(LOG);

    /** No route off the host (the link to the Docker bridge stays: SSH comes in over it), the resolver and listener above. */
    private static void cutOff(TestHost host) {
        host.container().copyFileToContainer(org.testcontainers.images.builder.Transferable.of(WORLD), "/root/costmap-world.py");
        host.exec("ip route del default && echo 'nameserver 127.0.0.1' > /etc/resolv.conf && : > " + LOG
                + " && systemd-run --unit costmap-bench-world python3 /root/costmap-world.py >/dev/null && sleep 1"
                + " && { getent hosts " + FETCH_HOST + "; test $? = 2; } && grep -qx 'dns " + FETCH_HOST + "' " + LOG + " && : > " + LOG);
    }

    private static void apply(TestHost host, String variant) {
        String dropIn = "set".equals(variant) ? "rm -f " + DROP_IN
                : "mkdir -p " + DROP_IN.substring(0, DROP_IN.lastIndexOf('/')) + " && printf '[Service]\\nEnvironment=LITELLM_LOCAL_MODEL_COST_MAP=\\n' > " + DROP_IN;
        String hosts = "silent".equals(variant) ? "grep -q ' " + FETCH_HOST + "$' /etc/hosts || echo '127.0.0.1 " + FETCH_HOST + "' >> /etc/hosts"
                : "sed '/ " + FETCH_HOST + "$/d' /etc/hosts > /etc/hosts.bench && cat /etc/hosts.bench > /etc/hosts";
        host.exec("systemctl stop litellm && " + dropIn + " && " + hosts + " && systemctl daemon-reload");
    }

    /** What the stand-in world saw since the last call: the names looked up and how long each fetch connection was held. */
    private static String seen(TestHost host) {
        String lines = host.exec("cat " + LOG + " && : > " + LOG).strip();
        return lines.isEmpty() ? "nothing" : String.join(", ", lines.lines().toList());
    }

    /** Milliseconds from `systemctl start` to the first 200 of /health/readiness, measured on the host (at most 5 min). */
    private static long startToReady(TestHost host) {
        String ms = host.exec("t0=$(date +%s%N); systemctl start litellm; for _ in $(seq 3000); do"
                + " curl -sf -o /dev/null -m 2 http://127.0.0.1:4000/health/readiness && break; sleep 0.1; done;"
                + " curl -sf -o /dev/null -m 2 http://127.0.0.1:4000/health/readiness && echo $(( ($(date +%s%N) - t0) / 1000000 ))");
        return Long.parseLong(ms.strip());
    }
}
