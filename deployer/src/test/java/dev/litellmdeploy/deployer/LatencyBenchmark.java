package dev.litellmdeploy.deployer;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.litellmdeploy.deployer.bundle.Bundle;
import dev.litellmdeploy.testsupport.MachinePreparation;
import dev.litellmdeploy.testsupport.TcpRelay;
import dev.litellmdeploy.testsupport.TestHost;
import dev.litellmdeploy.testsupport.UvStandIn;

/**
 * Not a test: the latency benchmark of docs/performance.md ({@code bench/run latency [RUNS]}). Three
 * ways of deploying the same changed config, side by side in one run, each on its own test host of
 * the same image (so one method's unit never meets another's), reached through a {@link TcpRelay}
 * that adds a fixed round-trip time (0, 50, 150 ms): the seed's method (ssh mkdir, scp of three
 * files, ssh sudo deploy.sh with its sleep 5; OpenSSH), Ansible (bench/ansible/deploy.yml, the same
 * steps, ansible-core from Debian) and {@code ./litellm-deploy deploy} (a new JVM per deploy, as users
 * run it). For a changed config and a no-op it prints wall-time medians per RTT, the round trips each
 * method costs (the slope (t150 - t0) / 150 ms) and the CPU seconds of the deploying process and its
 * children (user + system, {@code /usr/bin/time}); for ours also each step's round trips, from
 * {@code deploy --json}'s step timings. The service on every host is the LiteLLM stand-in (its
 * start-to-ready is the same for all three), so what differs is the deploying tool.
 */
public final class LatencyBenchmark {
    private static final int[] RTTS = {0, 50, 150};
    private static final ObjectMapper JSON = new ObjectMapper();

    private record Timed(long ms, double cpu, String out) { }

    /** One way of deploying; {@code changed} alternates two configs, {@code noop} deploys the last one again. */
    private interface Method {
        String name();

        Timed deploy(int port, boolean second) throws Exception;
    }

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        Path work = Files.createTempDirectory("litellm-deploy-latency");
        Path root = MachinePreparation.projectRoot();
        Bundle a = Fixtures.exampleBundle(work.resolve("a"));
        Bundle b = Fixtures.exampleBundle(work.resolve("b"), Map.of("40-x", "- model_name: bench-x\n  litellm_params: {model: openai/x}\n"), Map.of());
        Path seed = Files.createDirectories(work.resolve("seed"));
        for (String f : List.of("deploy.sh", "litellm.service")) {
            try (InputStream in = LatencyBenchmark.class.getResourceAsStream("/seed/" + f)) {
                Files.copy(in, seed.resolve(f));
            }
        }
        seed.resolve("deploy.sh").toFile().setExecutable(true);
        Path configA = Files.write(work.resolve("config-a.yaml"), a.files().get(Bundle.CONFIG));
        Path configB = Files.write(work.resolve("config-b.yaml"), b.files().get(Bundle.CONFIG));
        Path uv = UvStandIn.archive(Files.createDirectories(work.resolve("uv")));

        Map<String, Map<Integer, long[]>> changed = new LinkedHashMap<>();
        Map<String, Map<Integer, long[]>> noop = new LinkedHashMap<>();
        Map<String, Double> cpuChanged = new LinkedHashMap<>();
        Map<String, Double> cpuNoop = new LinkedHashMap<>();
        Map<Integer, Map<String, Long>> ourSteps = new LinkedHashMap<>();
        Map<Integer, Map<String, Long>> ourNoopSteps = new LinkedHashMap<>();
        try (TestHost seedHost = new TestHost().start(); TestHost ansibleHost = new TestHost().start(); TestHost ourHost = new TestHost().start()) {
            Path key = work.resolve("id");
            ansibleHost.authorize(seedHost.keys().authorizedKeysLine());
            ourHost.authorize(seedHost.keys().authorizedKeysLine());
            Files.writeString(key, seedHost.keys().privateKeyOpenSsh());
            Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
            boolean[] ourFirst = {true};
            List<Map.Entry<TestHost, Method>> methods = List.of(
                    Map.entry(seedHost, seedMethod(work, key, seed, configA, configB)),
                    Map.entry(ansibleHost, ansibleMethod(work, root, key, seed, configA, configB)),
                    Map.entry(ourHost, ourMethod(work, root, key, a, b, uv, ourFirst)));
            for (int rtt : RTTS) {
                for (var entry : methods) {
                    TestHost host = entry.getKey();
                    Method m = entry.getValue();
                    try (TcpRelay relay = TcpRelay.withRoundTrip(host.host(), host.sshPort(), Duration.ofMillis(rtt))) {
                        writeKnownHosts(work, host, relay.port());
                        m.deploy(relay.port(), false); // warm-up (the first one is a first deploy), leaves config A
                        long[] c = new long[runs];
                        double cpu = 0;
                        boolean second = true;
                        for (int i = 0; i < runs; i++) {
                            Timed t = m.deploy(relay.port(), second);
                            c[i] = t.ms();
                            cpu += t.cpu();
                            if (m.name().equals("litellm-deploy")) {
                                addSteps(ourSteps.computeIfAbsent(rtt, k -> new LinkedHashMap<>()), t.out(), runs);
                            }
                            second = !second;
                        }
                        changed.computeIfAbsent(m.name(), k -> new LinkedHashMap<>()).put(rtt, c);
                        if (rtt == 150) {
                            cpuChanged.put(m.name(), cpu / runs);
                        }
                        long[] n = new long[runs];
                        cpu = 0;
                        for (int i = 0; i < runs; i++) {
                            Timed t = m.deploy(relay.port(), !second); // the config deployed last, again
                            n[i] = t.ms();
                            cpu += t.cpu();
                            if (m.name().equals("litellm-deploy")) {
                                addSteps(ourNoopSteps.computeIfAbsent(rtt, k -> new LinkedHashMap<>()), t.out(), runs);
                            }
                        }
                        noop.computeIfAbsent(m.name(), k -> new LinkedHashMap<>()).put(rtt, n);
                        if (rtt == 150) {
                            cpuNoop.put(m.name(), cpu / runs);
                        }
                    }
                }
            }
        }
        System.out.println();
        System.out.println("latency benchmark, medians of " + runs + " runs, " + Runtime.getRuntime().availableProcessors() + " cores:");
        table("changed config", changed, cpuChanged);
        table("no-op (same config again)", noop, cpuNoop);
        steps("litellm-deploy, changed config, per step", ourSteps);
        steps("litellm-deploy, no-op, per step", ourNoopSteps);
        ratios(changed, noop);
    }

    private static Method seedMethod(Path work, Path key, Path seed, Path configA, Path configB) {
        return new Method() {
            public String name() {
                return "seed (ssh + scp + ssh sudo deploy.sh)";
            }

            public Timed deploy(int port, boolean second) throws Exception {
                Files.copy(second ? configB : configA, seed.resolve("config.yaml"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                List<String> opts = openSshOptions(work, key);
                long start = System.nanoTime();
                double cpu = 0;
                cpu += timed(Bench.concat(List.of("ssh", "-p", "" + port), opts, List.of("root@127.0.0.1", "mkdir -p /tmp/litellm-deploy")), work).cpu();
                cpu += timed(Bench.concat(List.of("scp", "-q", "-P", "" + port), opts, List.of(seed.resolve("config.yaml").toString(),
                        seed.resolve("litellm.service").toString(), seed.resolve("deploy.sh").toString(), "root@127.0.0.1:/tmp/litellm-deploy/")), work).cpu();
                cpu += timed(Bench.concat(List.of("ssh", "-p", "" + port), opts,
                        List.of("root@127.0.0.1", "sudo /tmp/litellm-deploy/deploy.sh /tmp/litellm-deploy/config.yaml")), work).cpu();
                return new Timed(Bench.ms(start), cpu, "");
            }
        };
    }

    private static Method ansibleMethod(Path work, Path root, Path key, Path seed, Path configA, Path configB) throws IOException {
        Path inventory = work.resolve("inventory.ini");
        return new Method() {
            public String name() {
                return "Ansible (bench/ansible/deploy.yml)";
            }

            public Timed deploy(int port, boolean second) throws Exception {
                Files.writeString(inventory, "[litellm]\nbench ansible_host=127.0.0.1 ansible_port=" + port + " ansible_user=root"
                        + " ansible_ssh_private_key_file=" + key + " ansible_ssh_common_args='-o UserKnownHostsFile=" + work.resolve("known_hosts")
                        + " -o StrictHostKeyChecking=yes'\n");
                Path control = Files.createTempDirectory(work, "cp"); // a cold start each run, like a CI job
                List<String> cmd = List.of("ansible-playbook", "-i", inventory.toString(), root.resolve("bench/ansible/deploy.yml").toString(),
                        "-e", "config_src=" + (second ? configB : configA), "-e", "unit_src=" + seed.resolve("litellm.service"));
                Map<String, String> env = Map.of("ANSIBLE_CONFIG", root.resolve("bench/ansible/ansible.cfg").toString(),
                        "ANSIBLE_SSH_CONTROL_PATH_DIR", control.toString(), "ANSIBLE_LOCAL_TEMP", control.toString());
                long start = System.nanoTime();
                Timed t = timed(cmd, work, env);
                return new Timed(Bench.ms(start), t.cpu(), t.out());
            }
        };
    }

    private static Method ourMethod(Path work, Path root, Path key, Bundle a, Bundle b, Path uv, boolean[] first) {
        return new Method() {
            public String name() {
                return "litellm-deploy";
            }

            public Timed deploy(int port, boolean second) throws Exception {
                List<String> cmd = new ArrayList<>(List.of(root.resolve("litellm-deploy").toString(), "deploy", "--json",
                        "--bundle", (second ? b : a).dir().toString(), "--host", "127.0.0.1:" + port, "--key", key.toString(),
                        "--known-hosts", work.resolve("known_hosts").toString()));
                if (first[0]) {
                    cmd.addAll(List.of("--uv-file", uv.toString()));
                    first[0] = false;
                }
                long start = System.nanoTime();
                Timed t = timed(cmd, work);
                return new Timed(Bench.ms(start), t.cpu(), t.out());
            }
        };
    }

    private static void writeKnownHosts(Path work, TestHost host, int port) throws IOException {
        Files.writeString(work.resolve("known_hosts"), host.knownHostsLine("127.0.0.1", port) + "\n");
    }

    private static List<String> openSshOptions(Path work, Path key) {
        return List.of("-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=yes", "-o", "UserKnownHostsFile=" + work.resolve("known_hosts"),
                "-o", "ControlMaster=no", "-i", key.toString());
    }

    private static void addSteps(Map<String, Long> sums, String json, int runs) throws IOException {
        JsonNode host = JSON.readTree(json).get("hosts").get(0);
        for (JsonNode s : host.get("steps")) {
            sums.merge(s.get("step").asText(), s.get("ms").asLong() / runs, Long::sum);
        }
    }

    private static void table(String title, Map<String, Map<Integer, long[]>> figures, Map<String, Double> cpu) {
        System.out.println();
        System.out.println(title + ":");
        System.out.println("| method | RTT 0 ms | RTT 50 ms | RTT 150 ms | round trips (t150 - t0) / 150 ms | CPU s at 150 ms |");
        System.out.println("|---|---|---|---|---|---|");
        figures.forEach((name, byRtt) -> {
            long t0 = Bench.median(byRtt.get(0));
            long t150 = Bench.median(byRtt.get(150));
            System.out.printf("| %s | %d | %d | %d | %.1f | %.2f |%n", name, t0, Bench.median(byRtt.get(50)), t150, (t150 - t0) / 150.0, cpu.get(name));
        });
    }

    private static void steps(String title, Map<Integer, Map<String, Long>> byRtt) {
        System.out.println();
        System.out.println(title + " (mean ms; round trips = (t150 - t0) / 150 ms):");
        System.out.println("| step | RTT 0 | RTT 150 | round trips |");
        System.out.println("|---|---|---|---|");
        Map<String, Long> at0 = byRtt.get(0);
        Map<String, Long> at150 = byRtt.get(150);
        at150.forEach((step, t150) -> {
            long t0 = at0.getOrDefault(step, 0L);
            System.out.printf("| %s | %d | %d | %.1f |%n", step, t0, t150, (t150 - t0) / 150.0);
        });
    }

    private static void ratios(Map<String, Map<Integer, long[]>> changed, Map<String, Map<Integer, long[]>> noop) {
        List<String> names = new ArrayList<>(changed.keySet());
        long ours = Bench.median(changed.get(names.get(2)).get(150));
        long oursNoop = Bench.median(noop.get(names.get(2)).get(150));
        System.out.println();
        System.out.printf("at 150 ms RTT: changed deploy %.2fx the seed's method (target <= 0.25), %.2fx Ansible (target <= 0.15);"
                        + " no-op %.2fx Ansible's no-op (target <= 0.1)%n",
                ours / (double) Bench.median(changed.get(names.get(0)).get(150)), ours / (double) Bench.median(changed.get(names.get(1)).get(150)),
                oursNoop / (double) Bench.median(noop.get(names.get(1)).get(150)));
    }

    private static Timed timed(List<String> cmd, Path work) throws IOException, InterruptedException {
        return timed(cmd, work, Map.of());
    }

    /** Runs cmd under /usr/bin/time: wall ms, CPU seconds (user + system of it and its children), stdout. */
    private static Timed timed(List<String> cmd, Path work, Map<String, String> env) throws IOException, InterruptedException {
        Path cpuFile = Files.createTempFile(work, "cpu", ".txt");
        List<String> full = Bench.concat(List.of("/usr/bin/time", "-f", "%U %S", "-o", cpuFile.toString()), cmd, List.of());
        ProcessBuilder pb = new ProcessBuilder(full).redirectError(ProcessBuilder.Redirect.appendTo(work.resolve("stderr.log").toFile()));
        pb.environment().putAll(env);
        long start = System.nanoTime();
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(300, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(cmd.get(0) + " failed (exit " + p.exitValue() + "): " + out + "\n(stderr: " + work.resolve("stderr.log") + ")");
        }
        long took = Bench.ms(start);
        String[] cpu = Files.readString(cpuFile).trim().split("\\s+");
        return new Timed(took, Double.parseDouble(cpu[cpu.length - 2]) + Double.parseDouble(cpu[cpu.length - 1]), out);
    }



}
