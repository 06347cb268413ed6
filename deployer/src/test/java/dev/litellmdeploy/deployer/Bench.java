package dev.litellmdeploy.deployer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** What the benchmarks (DeployBenchmark, LatencyBenchmark, FleetBenchmark) share: medians, elapsed ms, argument lists. */
final class Bench {
    private Bench() {
    }

    static long median(long[] values) {
        long[] s = values.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    static long ms(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    @SafeVarargs
    static List<String> concat(List<String>... parts) {
        List<String> out = new ArrayList<>();
        for (List<String> p : parts) {
            out.addAll(p);
        }
        return out;
    }
}
