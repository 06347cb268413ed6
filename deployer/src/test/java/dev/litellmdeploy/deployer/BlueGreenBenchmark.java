package dev.litellmdeploy.deployer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import dev.litellmdeploy.deployer.bundle.Bundle;
import dev.litellmdeploy.testsupport.MachinePreparation;
import dev.litellmdeploy.testsupport.TestHost;
import dev.litellmdeploy.testsupport.Traffic;

/**
 * Not a test: the zero-downtime benchmark of docs/performance.md. Run with {@code bench/run bluegreen}.
 * One test host, the same traffic (3 clients sending short completions, 3 sending 3-second streams)
 * through a changed-config deploy with each strategy, one run each: failed requests, the slowest
 * request, the deploy's time, and the memory of the LiteLLM processes before and at the peak of
 * the blue-green overlap (RSS of the stand-in; a real LiteLLM holds far more, for as long).
 */
public final class BlueGreenBenchmark {
    private static final String KEY = "sk-fake-master-key-example-0000000000";

    public static void main(String[] args) throws Exception {
        Path work = Files.createTempDirectory("litellm-deploy-bg-bench");
        try (TestHost host = new TestHost().withExposedPort(4000).start()) {
            DeploySettings restart = Fixtures.settings(work.resolve("uv")).withReadyTimeout(Duration.ofSeconds(60));
            DeploySettings blueGreen = restart.withStrategy(DeploySettings.Strategy.BLUE_GREEN,
                    new DeploySettings.BlueGreen(0, 0, Duration.ofSeconds(60), Duration.ZERO, MachinePreparation.nginxPackages()));
            deploy(host, bundle(work, "v1"), restart);
            run(host, "restart", bundle(work, "v2"), restart);
            deploy(host, bundle(work, "v3"), blueGreen);
            Thread.sleep(2000);
            run(host, "blue-green", bundle(work, "v4"), blueGreen);
        }
    }

    private static void run(TestHost host, String label, Bundle bundle, DeploySettings settings) throws Exception {
        long before = rssKib(host);
        AtomicLong peak = new AtomicLong(before);
        Thread sampler = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    peak.accumulateAndGet(rssKib(host), Math::max);
                } catch (RuntimeException e) {
                    return;
                }
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        sampler.setDaemon(true);
        Traffic traffic = new Traffic(host.host(), host.mappedPort(4000), KEY, "frontier-muffin", 3, 3);
        Thread.sleep(1500);
        sampler.start();
        long start = System.nanoTime();
        HostResult r = deploy(host, bundle, settings);
        long took = (System.nanoTime() - start) / 1_000_000;
        Thread.sleep(1000);
        sampler.interrupt();
        Traffic.Result result = traffic.stop();
        System.out.printf("%-10s deploy %-8s %5d ms | failed requests %4d of %4d | slowest short request %5d ms, stream %5d ms"
                + " | LiteLLM RSS %d MiB before, %d MiB peak%n", label, r.outcome(), took, result.failed(),
                result.failed() + result.shortOk() + result.streamsOk(), result.worstShortMillis(), result.worstMillis(), before / 1024,
                peak.get() / 1024);
    }

    private static HostResult deploy(TestHost host, Bundle bundle, DeploySettings settings) throws Exception {
        HostResult r = new Deployer(Fixtures.ssh(host, TestHost.ROOT), settings, null).deploy(bundle, Fixtures.targets(host)).hosts().get(0);
        if (!r.outcome().ok()) {
            throw new IllegalStateException(r.message());
        }
        return r;
    }

    private static Bundle bundle(Path work, String name) throws Exception {
        return Fixtures.changedBundle(work, name, Map.of());
    }

    /** Resident memory of every LiteLLM (stand-in) process on the host, KiB. */
    private static long rssKib(TestHost host) {
        String out = host.execResult("ps -eo rss=,args= | awk '/litellm_standin/ && !/awk/ {s += $1} END {print s + 0}'").getStdout().strip();
        return out.isEmpty() ? 0 : Long.parseLong(out);
    }
}
