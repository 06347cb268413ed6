package dev.litellmdeploy.deployer;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.litellmdeploy.deployer.bundle.Bundle;
import dev.litellmdeploy.deployer.ssh.HostKeyPolicy;
import dev.litellmdeploy.deployer.ssh.SshSettings;
import dev.litellmdeploy.testsupport.TestHost;

/**
 * Not a test: the deploy benchmark of docs/performance.md, in one run on the same test host.
 * Run with {@code bench/run deploy}. Prints medians of N runs (args[0], default 5):
 * our changed-config deploy vs the seed's method (scp + ssh sudo deploy.sh, OpenSSH client);
 * our no-op deploy vs {@code ssh host true}; 1 vs 8 hosts in parallel.
 */
public final class DeployBenchmark {
    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        Path work = Files.createTempDirectory("litellm-deploy-bench");
        List<String> report = new ArrayList<>();
        try (TestHost host = new TestHost().start()) {
            Path key = work.resolve("id");
            Files.writeString(key, host.keys().privateKeyOpenSsh());
            Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
            Path knownHosts = Files.writeString(work.resolve("known_hosts"), host.knownHostsLine() + "\n");
            Bundle a = Fixtures.exampleBundle(work.resolve("a"));
            Bundle b = Fixtures.exampleBundle(work.resolve("b"), Map.of("40-x", "- model_name: bench-x\n  litellm_params: {model: openai/x}\n"), Map.of());
            Path seed = work.resolve("seed");
            Files.createDirectories(seed);
            for (String f : List.of("deploy.sh", "litellm.service")) {
                try (InputStream in = DeployBenchmark.class.getResourceAsStream("/seed/" + f)) {
                    Files.copy(in, seed.resolve(f));
                }
            }
            seed.resolve("deploy.sh").toFile().setExecutable(true);
            SshSettings settings = new SshSettings("root", host.keys().privateKeyOpenSsh(), null, HostKeyPolicy.knownHosts(host.knownHostsLine()),
                    null, Duration.ofSeconds(20));
            DeploySettings deploy = Fixtures.settings(work.resolve("uv-in-process")).withReadyTimeout(Duration.ofSeconds(60));
            List<String> ssh = List.of("-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=yes", "-o", "UserKnownHostsFile=" + knownHosts,
                    "-i", key.toString());

            // the seed's method, config changed each run
            long[] seedTimes = new long[runs];
            for (int i = 0; i <= runs; i++) {
                Path config = seed.resolve("config.yaml");
                Files.write(config, (i % 2 == 0 ? a : b).files().get(Bundle.CONFIG));
                long t = System.nanoTime();
                run(Bench.concat(List.of("ssh", "-p", "" + host.sshPort()), ssh, List.of("root@" + host.host(), "mkdir -p /tmp/litellm-deploy")));
                run(Bench.concat(List.of("scp", "-q", "-P", "" + host.sshPort()), ssh, List.of(config.toString(),
                        seed.resolve("litellm.service").toString(), seed.resolve("deploy.sh").toString(), "root@" + host.host() + ":/tmp/litellm-deploy/")));
                run(Bench.concat(List.of("ssh", "-p", "" + host.sshPort()), ssh,
                        List.of("root@" + host.host(), "sudo /tmp/litellm-deploy/deploy.sh /tmp/litellm-deploy/config.yaml")));
                if (i > 0) {
                    seedTimes[i - 1] = Bench.ms(t);
                }
            }

            // ours: the CLI as users run it (./litellm-deploy: JVM start with the class-data archive included)
            Path launcher = dev.litellmdeploy.testsupport.MachinePreparation.projectRoot().resolve("litellm-deploy");
            Path uv = dev.litellmdeploy.testsupport.UvStandIn.archive(Files.createDirectories(work.resolve("uv")));
            long[] ours = new long[runs];
            for (int i = 0; i <= runs; i++) {
                long t = System.nanoTime();
                run(List.of(launcher.toString(), "deploy", "--bundle", (i % 2 == 0 ? a : b).dir().toString(), "--host",
                        host.host() + ":" + host.sshPort(), "--key", key.toString(), "--known-hosts", knownHosts.toString(),
                        "--uv-file", uv.toString()));
                if (i > 0) {
                    ours[i - 1] = Bench.ms(t);
                }
            }
            long[] noop = new long[runs];
            for (int i = 0; i < runs; i++) {
                long t = System.nanoTime();
                run(List.of(launcher.toString(), "deploy", "--bundle", (runs % 2 == 0 ? a : b).dir().toString(), "--host",
                        host.host() + ":" + host.sshPort(), "--key", key.toString(), "--known-hosts", knownHosts.toString()));
                noop[i] = Bench.ms(t);
            }
            long[] inProcess = new long[runs];
            for (int i = 0; i < runs; i++) {
                long t = System.nanoTime();
                check(new Deployer(settings, deploy, Fixtures.LEAK_CHECKED).deploy(i % 2 == 0 ? a : b, Fixtures.targets(host)), HostResult.Outcome.SUCCESS);
                inProcess[i] = Bench.ms(t);
            }
            long[] sshTrue = new long[runs];
            for (int i = 0; i < runs; i++) {
                long t = System.nanoTime();
                run(Bench.concat(List.of("ssh", "-p", "" + host.sshPort()), ssh, List.of("root@" + host.host(), "true")));
                sshTrue[i] = Bench.ms(t);
            }
            long jvm = jvmStart();
            report.add(String.format("changed-config deploy: seed method (scp + ssh sudo deploy.sh) median %d ms; litellm-deploy CLI median %d ms"
                    + " (in-process, JVM warm: %d ms); ratio %.2f (target <= 0.40)", Bench.median(seedTimes), Bench.median(ours), Bench.median(inProcess),
                    Bench.median(ours) / (double) Bench.median(seedTimes)));
            report.add(String.format("no-op deploy: litellm-deploy CLI median %d ms; `ssh host true` median %d ms; JVM start (java -version)"
                    + " %d ms; ratio to (ssh true + JVM start) %.2f (target <= 2.0)", Bench.median(noop), Bench.median(sshTrue), jvm,
                    Bench.median(noop) / (double) (Bench.median(sshTrue) + jvm)));
        }
        int n = 8;
        List<TestHost> hosts = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                hosts.add(new TestHost().start());
            }
            TestHost first = hosts.get(0);
            StringBuilder known = new StringBuilder();
            for (TestHost h : hosts) {
                h.authorize(first.keys().authorizedKeysLine());
                known.append(h.knownHostsLine()).append('\n');
            }
            SshSettings settings = new SshSettings("root", first.keys().privateKeyOpenSsh(), null, HostKeyPolicy.knownHosts(known.toString()), null,
                    Duration.ofSeconds(30));
            DeploySettings deploy = Fixtures.settings(work.resolve("uv")).withReadyTimeout(Duration.ofSeconds(120)).withHosts(n, false);
            Bundle a = Fixtures.exampleBundle(work.resolve("m-a"));
            Bundle b = Fixtures.exampleBundle(work.resolve("m-b"), Map.of("40-x", "- model_name: bench-x\n  litellm_params: {model: openai/x}\n"), Map.of());
            List<HostTarget> all = hosts.stream().map(Fixtures::target).toList();
            check(new Deployer(settings, deploy, Fixtures.LEAK_CHECKED).deploy(a, all), HostResult.Outcome.SUCCESS);
            long[] one = new long[runs];
            long[] eight = new long[runs];
            for (int i = 0; i < runs; i++) {
                Bundle next = i % 2 == 0 ? b : a;
                long t = System.nanoTime();
                check(new Deployer(settings, deploy, Fixtures.LEAK_CHECKED).deploy(next, all.subList(0, 1)), HostResult.Outcome.SUCCESS);
                one[i] = Bench.ms(t);
                t = System.nanoTime();
                DeployResult r = new Deployer(settings, deploy, Fixtures.LEAK_CHECKED).deploy(next, all);
                eight[i] = Bench.ms(t);
                for (HostResult h : r.hosts().subList(1, n)) {
                    if (!h.outcome().ok()) {
                        throw new IllegalStateException(h.message());
                    }
                }
            }
            report.add(String.format("parallel: 1 host median %d ms; 8 hosts median %d ms; ratio %.2f (target <= 1.5) [%d cores]",
                    Bench.median(one), Bench.median(eight), Bench.median(eight) / (double) Bench.median(one), Runtime.getRuntime().availableProcessors()));
        } finally {
            hosts.forEach(TestHost::close);
        }
        System.out.println();
        System.out.println("deploy benchmark, " + runs + " runs each:");
        report.forEach(line -> System.out.println("  " + line));
    }

    private static void check(DeployResult r, HostResult.Outcome expected) {
        for (HostResult h : r.hosts()) {
            if (h.outcome() != expected) {
                throw new IllegalStateException(h.host() + ": " + h.outcome() + ": " + h.message());
            }
        }
    }

    /** The "JVM start" of the target: a hello-world-sized `java -version`. */
    private static long jvmStart() throws IOException, InterruptedException {
        long[] t = new long[5];
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        for (int i = 0; i < t.length; i++) {
            long s = System.nanoTime();
            run(List.of(java.toString(), "-version"));
            t[i] = Bench.ms(s);
        }
        return Bench.median(t);
    }


    private static void run(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", cmd.subList(0, 1)) + " failed: " + new String(out));
        }
    }


}
