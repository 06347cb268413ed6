package dev.litellmdeploy.cli;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

import dev.litellmdeploy.cli.action.ActionModeTest;
import dev.litellmdeploy.cli.github.GitHubApiStub;
import dev.litellmdeploy.testsupport.LeakGuard;
import dev.litellmdeploy.testsupport.MachinePreparation;
import dev.litellmdeploy.testsupport.TestFiles;
import dev.litellmdeploy.testsupport.TestHost;
import dev.litellmdeploy.testsupport.TestKeys;
import dev.litellmdeploy.testsupport.UvStandIn;
import picocli.CommandLine;

/**
 * The bad-input corpus (src/test/resources/bad-inputs.yaml, its header says how cases are
 * written): every case through the real CLI against one test host that runs the example.
 */
class BadInputCorpusTest {
    static final String SECRET = "sk-fake-corpus-secret-0f9e8d7c6b5a";
    static final String PASSPHRASE = "correct horse battery staple";
    /** Every case's output: control characters from the inputs are printed escaped, never raw (newlines and tabs are the output's own). */
    private static final Pattern RAW_CONTROL = Pattern.compile("[\\p{Cc}\\u2028\\u2029\\u202A-\\u202E\\u2066-\\u2069&&[^\\n\\t]]");
    private static final Pattern STACK_TRACE = Pattern.compile("(?m)^\\s+at [\\w.$]+\\(|^Caused by: |Exception in thread");
    private static final List<String> REMOTE = List.of("plan", "deploy", "status", "rollback", "action");

    @RegisterExtension
    static final TestHost host = new TestHost();

    @TempDir
    static Path work;

    /** What each case printed (first lines), for review: target/bad-inputs-report.txt. */
    static final Path REPORT = MachinePreparation.projectRoot().resolve("action-entrypoint/target/bad-inputs-report.txt");

    static Path keys;
    static String baseline;

    @BeforeAll
    static void theExampleRuns() throws Exception {
        LeakGuard.secret(SECRET);
        LeakGuard.secret(PASSPHRASE);
        Files.deleteIfExists(REPORT);
        keys = Files.createDirectories(work.resolve("keys"));
        Files.writeString(keys.resolve("key"), host.keys().privateKeyOpenSsh());
        Files.writeString(keys.resolve("key-public"), host.keys().authorizedKeysLine() + "\n");
        // OpenSSH armour around base64 of "not a key at all" (split so no scanner takes this file for a key)
        String armour = "OPENSSH PRIVATE" + " KEY-----";
        Files.writeString(keys.resolve("key-garbage"), "-----BEGIN " + armour + "\nbm90IGEga2V5IGF0IGFsbA==\n-----END " + armour + "\n");
        TestKeys encrypted = TestKeys.generate(org.apache.sshd.common.util.security.SecurityUtils.EDDSA, 256, PASSPHRASE);
        host.authorize(encrypted.authorizedKeysLine());
        Files.writeString(keys.resolve("key-encrypted"), encrypted.privateKeyOpenSsh());
        Files.writeString(keys.resolve("known_hosts"), host.knownHostsLine() + "\n");
        Files.writeString(keys.resolve("known_hosts-other"), host.knownHostsLine().replaceFirst("^\\S+", "other.example.invalid") + "\n");
        Path dir = caseDir("baseline");
        Result build = cli(dir, "build", "--unlocked", "--templates", dir.resolve("templates").toString(), "--secrets", dir.resolve("secrets").toString(),
                "--out", dir.resolve("bundle").toString(), "--revision", ActionModeTest.SHA);
        assertEquals(0, build.exit, build.output);
        List<String> deploy = new ArrayList<>(List.of("deploy", "--bundle", dir.resolve("bundle").toString()));
        remoteOptions(dir, Map.of()).forEach((k, v) -> deploy.addAll(List.of(k, v)));
        deploy.addAll(List.of("--uv-file", UvStandIn.archive(Files.createDirectories(work.resolve("uv"))).toString(), "--ready-timeout", "60s"));
        Result r = cli(dir, deploy.toArray(String[]::new));
        assertEquals(0, r.exit, r.output);
        baseline = hostState();
    }

    @TestFactory
    Stream<DynamicTest> everyCaseGetsItsOutcome() throws Exception {
        List<Map<String, Object>> cases = new Yaml().load(Files.readString(
                MachinePreparation.projectRoot().resolve("action-entrypoint/src/test/resources/bad-inputs.yaml")));
        assertTrue(cases.size() >= 40, cases.size() + " cases");
        return IntStream.range(0, cases.size()).mapToObj(i -> DynamicTest.dynamicTest(
                String.format("%02d %s", i + 1, cases.get(i).get("name")), () -> runCase(i + 1, cases.get(i))));
    }

    @SuppressWarnings("unchecked")
    private void runCase(int index, Map<String, Object> c) throws Exception {
        String command = (String) c.get("command");
        Path dir = caseDir("case-" + index);
        for (Map.Entry<String, Object> f : map(c.get("files")).entrySet()) {
            Files.createDirectories(dir.resolve(f.getKey()).getParent());
            Files.writeString(dir.resolve(f.getKey()), fill(String.valueOf(f.getValue())));
        }
        for (Map.Entry<String, Object> f : map(c.get("huge")).entrySet()) {
            Files.write(dir.resolve(f.getKey()), ("big: \"" + "x".repeat(((Number) f.getValue()).intValue()) + "\"\n").getBytes(StandardCharsets.UTF_8));
        }
        for (Map.Entry<String, Object> f : map(c.get("replace")).entrySet()) {
            String text = Files.readString(dir.resolve(f.getKey()));
            for (Map.Entry<String, Object> r : map(f.getValue()).entrySet()) {
                assertTrue(text.contains(r.getKey()), r.getKey() + " is not in " + f.getKey());
                text = text.replace(r.getKey(), fill(String.valueOf(r.getValue())));
            }
            Files.writeString(dir.resolve(f.getKey()), text);
        }
        for (Object d : list(c.get("delete"))) {
            TestFiles.deleteTree(dir.resolve((String) d));
        }
        for (Map.Entry<String, Object> l : map(c.get("symlinks")).entrySet()) {
            Files.createSymbolicLink(dir.resolve(l.getKey()), Path.of(String.valueOf(l.getValue())));
        }
        List<String> args = list(c.get("args")).stream().map(a -> resolve(dir, fill(String.valueOf(a)))).toList();
        Result r = switch (command) {
            case "build" -> cli(dir, concat(List.of("build", "--unlocked", "--templates", dir.resolve("templates").toString(), "--secrets",
                    dir.resolve("secrets").toString(), "--out", dir.resolve("bundle").toString()), args));
            case "validate" -> cli(dir, concat(List.of("validate"), args));
            case "action" -> action(dir, c);
            default -> remote(dir, command, (Map<String, Object>) c.getOrDefault("options", Map.of()), args, map(c.get("bundle")));
        };
        String name = (String) c.get("name");
        Files.writeString(REPORT, String.format("## %02d %s (%s): exit %d%n%s%n", index, name, command, r.exit,
                r.output.lines().filter(l -> !l.startsWith("::add-mask::")).limit(6).reduce("", (a, b) -> a + "    " + b + "\n")),
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        List<Integer> exits = c.get("exit") instanceof List<?> l ? (List<Integer>) l : List.of((Integer) c.get("exit"));
        assertTrue(exits.contains(r.exit), name + ": exit " + r.exit + ", expected " + exits + "\n" + r.output);
        assertTrue(Pattern.compile((String) c.get("message"), Pattern.DOTALL).matcher(r.output).find(),
                name + ": the output does not match /" + c.get("message") + "/:\n" + r.output);
        assertFalse(STACK_TRACE.matcher(r.output).find(), name + ": a stack trace:\n" + r.output);
        if (c.get("absent") != null) {
            assertFalse(Pattern.compile((String) c.get("absent")).matcher(r.output).find(),
                    name + ": the output matches /" + c.get("absent") + "/, which it must not:\n" + r.output);
        }
        assertFalse(RAW_CONTROL.matcher(r.output).find(), name + ": a raw control character in the output:\n" + r.output.replace("\u001b", "<ESC>"));
        LeakGuard.check("the output of case '" + name + "'", r.output);
        if (REMOTE.contains(command)) {
            assertEquals(baseline, hostState(), name + ": the host changed");
        }
    }

    record Result(int exit, String output) {
    }

    private static Result cli(Path dir, String... argv) {
        return cli(dir, List.of(argv));
    }

    private static Result cli(Path dir, List<String> argv) {
        StringWriter out = new StringWriter();
        CommandLine cli = LitellmDeployCommand.configure(new CommandLine(new LitellmDeployCommand()));
        cli.setOut(new PrintWriter(out, true)).setErr(new PrintWriter(out, true));
        int exit = cli.execute(argv.toArray(String[]::new));
        return new Result(exit, out.toString());
    }

    private static Result remote(Path dir, String command, Map<String, Object> overrides, List<String> args, Map<String, Object> tamper)
            throws Exception {
        List<String> argv = new ArrayList<>(List.of(command));
        if (List.of("plan", "deploy").contains(command)) {
            Result build = cli(dir, "build", "--unlocked", "--templates", dir.resolve("templates").toString(), "--secrets", dir.resolve("secrets").toString(),
                    "--out", dir.resolve("bundle").toString(), "--revision", ActionModeTest.SHA);
            assertEquals(0, build.exit, build.output);
            tamper(dir.resolve("bundle"), tamper);
            argv.addAll(List.of("--bundle", dir.resolve("bundle").toString()));
        }
        remoteOptions(dir, overrides).forEach((k, v) -> argv.addAll(List.of(k, v)));
        argv.addAll(args);
        return cli(dir, argv);
    }

    /** A case's changes to the bundle after it was built: manifest fields set (JSON values), files replaced by symlinks. */
    private static void tamper(Path bundle, Map<String, Object> changes) throws Exception {
        if (changes.get("manifest") != null) {
            com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
            com.fasterxml.jackson.databind.node.ObjectNode manifest = (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(
                    bundle.resolve("manifest.json").toFile());
            map(changes.get("manifest")).forEach((k, v) -> manifest.set(k, json.valueToTree(v)));
            Files.writeString(bundle.resolve("manifest.json"), json.writerWithDefaultPrettyPrinter().writeValueAsString(manifest));
        }
        for (Map.Entry<String, Object> l : map(changes.get("symlinks")).entrySet()) {
            Files.deleteIfExists(bundle.resolve(l.getKey()));
            Files.createSymbolicLink(bundle.resolve(l.getKey()), Path.of(String.valueOf(l.getValue())));
        }
    }

    /** The harness's default options for remote commands, with a case's replacements (null drops one). */
    private static Map<String, String> remoteOptions(Path dir, Map<String, Object> overrides) {
        Map<String, String> options = new LinkedHashMap<>();
        options.put("--host", "{host}:{port}");
        options.put("--user", "root");
        options.put("--key", "key");
        options.put("--known-hosts", "known_hosts");
        overrides.forEach((k, v) -> options.put(k, v == null ? null : String.valueOf(v)));
        Map<String, String> out = new LinkedHashMap<>();
        options.forEach((k, v) -> {
            if (v != null) {
                out.put(k, resolve(dir, fill(v)));
            }
        });
        return out;
    }

    private static Result action(Path dir, Map<String, Object> c) throws Exception {
        Object status = c.get("github");
        try (GitHubApiStub github = new GitHubApiStub()) {
            if (status == null) {
                github.accepting();
            } else {
                github.server.stubFor(any(anyUrl()).willReturn(aResponse().withStatus((Integer) status).withBody("{\"message\": \"no\"}")));
            }
            Path workspace = dir.resolve("workspace");
            TestFiles.copyTree(dir.resolve("templates"), workspace.resolve("deploy/templates"));
            TestFiles.copyTree(dir.resolve("secrets"), workspace.resolve("deploy/secrets"));
            Map<String, String> env = new LinkedHashMap<>(ActionModeTest.runnerEnvironment(dir, workspace,
                    Files.createDirectories(dir.resolve("file_commands")), github.apiUrl()));
            Map<String, Object> inputs = new LinkedHashMap<>(Map.of("host", host.host() + ":" + host.sshPort(), "username", "root",
                    "ssh-key", host.keys().privateKeyOpenSsh(), "known-hosts", host.knownHostsLine() + "\n", "templates", "deploy/templates",
                    "secrets", "deploy/secrets", "github-token", "ghs_fake_corpus_token_0123456789", "health-timeout", "60s"));
            inputs.put("unlocked", "true"); // the stand-in uv builds no environment
            inputs.putAll(map(c.get("inputs")));
            inputs.forEach((k, v) -> {
                if (v != null) {
                    env.put("INPUT_" + k.toUpperCase(), fill(String.valueOf(v)));
                }
            });
            list(c.get("unset")).forEach(env::remove);
            LeakGuard.secret("ghs_fake_corpus_token_0123456789");
            ActionCommand command = new ActionCommand();
            command.setEnvironmentForTests(env, Duration.ofMillis(5));
            StringWriter out = new StringWriter();
            int exit = new CommandLine(command).setOut(new PrintWriter(out, true)).setErr(new PrintWriter(out, true)).execute();
            String files = TestFiles.readIfExists(dir.resolve("file_commands/set_output_1")) + TestFiles.readIfExists(dir.resolve("file_commands/step_summary_1"));
            String bodies = String.join("\n", github.posts().stream().map(p -> p.getBodyAsString()).toList());
            LeakGuard.check("outputs, summary and GitHub requests of the action", files + bodies);
            return new Result(exit, out.toString());
        }
    }

    private static Path caseDir(String name) throws Exception {
        Path dir = work.resolve(name);
        TestFiles.copyTree(MachinePreparation.projectRoot().resolve("examples/templates"), dir.resolve("templates"));
        TestFiles.copyTree(MachinePreparation.projectRoot().resolve("examples/secrets"), dir.resolve("secrets"));
        TestFiles.copyTree(keys, dir);
        return dir;
    }

    /** Release, service process, installed files and the release list: what "nothing changed" compares. */
    private static String hostState() {
        return host.exec("readlink /var/lib/litellm-deploy/current; systemctl show -p MainPID --value litellm.service;"
                + " sha256sum /etc/litellm/config.yaml /etc/systemd/system/litellm.service; ls /var/lib/litellm-deploy/releases;"
                + " find /var/lib/litellm-deploy/staging -mindepth 2 | wc -l");
    }

    private static String fill(String s) {
        return s.replace("{secret}", SECRET).replace("{host}", host.host()).replace("{port}", Integer.toString(host.sshPort()))
                .replace("{fingerprint}", host.hostKeyFingerprint());
    }

    private static String resolve(Path dir, String value) {
        return !value.startsWith("-") && !value.contains("/") && Files.exists(dir.resolve(value)) ? dir.resolve(value).toString() : value;
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return o == null ? Map.of() : (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object o) {
        return o == null ? List.of() : (List<Object>) o;
    }
}
