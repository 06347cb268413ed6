package dev.litellmdeploy.deployer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** What the benchmarks (DeployBenchmark, LatencyBenchmark, FleetBenchmark) share: medians, elapsed ms, argument lists, a timed process. */
final class Bench {
    private Bench() {
    }

    /** One process run: wall ms, CPU ms (user + system of it and its children), peak resident set KiB, its stdout. */
    record Timed(long wallMs, long cpuMs, long maxRssKb, String out) { }

    /** Runs cmd under /usr/bin/time (stderr appended to WORK/stderr.log); throws unless it exits 0 within 10 minutes. */
    static Timed timed(List<String> cmd, Path work) throws IOException, InterruptedException {
        Path figures = Files.createTempFile(work, "time", ".txt");
        Path stderr = work.resolve("stderr.log");
        List<String> full = concat(List.of("/usr/bin/time", "-f", "%U %S %M", "-o", figures.toString()), cmd);
        Process p = new ProcessBuilder(full).redirectError(ProcessBuilder.Redirect.appendTo(stderr.toFile())).start();
        long start = System.nanoTime();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IllegalStateException(cmd.get(0) + " failed: " + out + "\n(stderr: " + stderr + ")");
        }
        long wall = ms(start);
        String[] f = Files.readString(figures).trim().split("\\s+"); // the last line: an earlier one may say "Command exited ..."
        int n = f.length;
        return new Timed(wall, Math.round((Double.parseDouble(f[n - 3]) + Double.parseDouble(f[n - 2])) * 1000), Long.parseLong(f[n - 1]), out);
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
