package dev.litellmdeploy.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.litellmdeploy.builder.Rule;
import dev.litellmdeploy.testsupport.LiteLlmVenv;
import dev.litellmdeploy.testsupport.MachinePreparation;
import dev.litellmdeploy.testsupport.RealLiteLlm;
import picocli.CommandLine;

/**
 * The differential test: every config of the corpus (src/test/resources/litellm-differential) is
 * judged by LiteLLM's own start-up code (litellm_verdicts.py: proxy_cli.run_server and the app's
 * lifespan startup, in a venv from the real-LiteLLM tests' wheelhouse) and by {@code validate
 * --litellm-version V}, for both LiteLLM versions the tests use. They must agree, case by case:
 * LiteLLM refuses exactly when validate reports an error of a rule that LiteLLM V refuses too
 * ({@link Rule#litellmRefuses}). Errors of project rules (the project refuses what LiteLLM accepts)
 * are counted apart and must be declared by the case ({@code # project rules: code, ...}), so a
 * wrong project-rule error is a disagreement too. Known gaps (work of another branch) are printed, and
 * fail once they agree, so they are taken off the list.
 */
class LiteLLMDifferentialTest {
    private static final Path CORPUS = MachinePreparation.projectRoot().resolve("action-entrypoint/src/test/resources/litellm-differential");
    private static final List<String> VERSIONS = List.of(RealLiteLlm.SEED_VERSION, RealLiteLlm.NEWEST_VERSION);
    /** Cases that disagree only because validate does not do yet what another branch adds; the reason is printed. */
    /** Cases known to disagree, each with the reason (none now: the include and module cases agree since issue 17 item 1). */
    private static final Map<String, String> KNOWN_GAPS = Map.of();
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Runs the rest of the command line in new user and network namespaces with only loopback, up. */
    private static final List<String> NAMESPACE = List.of("unshare", "--map-root-user", "--net", "sh", "-c", "ip link set lo up && exec \"$@\"", "sh");

    record LiteLlmVerdict(boolean refuses, String text) {
    }

    record OurVerdict(List<String> litellmRules, List<String> projectRules, List<String> messages) {
        boolean refuses() {
            return !litellmRules.isEmpty();
        }
    }

    @Test
    void validateRefusesExactlyWhatLiteLlmsOwnLoaderRefuses() throws Exception {
        List<Path> cases = cases();
        assertTrue(cases.size() >= 60, "the corpus holds " + cases.size() + " cases");
        requireNetworkNamespace();
        Map<String, CompletableFuture<Map<String, LiteLlmVerdict>>> theirs = new LinkedHashMap<>();
        for (String version : VERSIONS) {
            Path python = LiteLlmVenv.python(RealLiteLlm.prepare(version));
            theirs.put(version, CompletableFuture.supplyAsync(() -> litellm(python)));
        }
        List<String> disagreements = new ArrayList<>();
        List<String> report = new ArrayList<>();
        for (String version : VERSIONS) {
            Map<String, LiteLlmVerdict> verdicts = theirs.get(version).get(5, TimeUnit.MINUTES);
            int agree = 0;
            List<String> projectOnly = new ArrayList<>();
            List<String> gaps = new ArrayList<>();
            for (Path file : cases) {
                String name = file.getFileName().toString();
                LiteLlmVerdict litellm = verdicts.get(name);
                if (litellm == null) {
                    disagreements.add(version + " " + name + ": LiteLLM gave no verdict");
                    continue;
                }
                OurVerdict ours = validate(file, version);
                Set<String> declared = declaredProjectRules(file);
                List<String> undeclared = ours.projectRules().stream().filter(c -> !declared.contains(c)).toList();
                boolean agrees = litellm.refuses() == ours.refuses() && undeclared.isEmpty();
                String both = "\n    LiteLLM " + version + ": " + (litellm.refuses() ? "refuses: " + litellm.text() : "starts")
                        + "\n    validate: " + (ours.messages().isEmpty() ? "no errors" : String.join("\n              ", ours.messages()))
                        + (undeclared.isEmpty() ? "" : "\n    project-rule errors the case does not declare: " + undeclared);
                String gap = KNOWN_GAPS.get(name);
                if (gap != null) {
                    if (agrees) {
                        disagreements.add(version + " " + name + ": listed as a known gap (" + gap + ") but now agrees: take it off KNOWN_GAPS" + both);
                    } else {
                        gaps.add(name + " (" + gap + ")" + both);
                    }
                } else if (agrees) {
                    agree++;
                    if (!litellm.refuses() && !ours.projectRules().isEmpty()) {
                        projectOnly.add(name.replaceFirst("\\.yaml$", "") + " " + ours.projectRules());
                    }
                } else {
                    disagreements.add(version + " " + name + ": " + (litellm.refuses() == ours.refuses() ? "" : litellm.refuses()
                            ? "LiteLLM refuses, validate accepts" : "validate refuses, LiteLLM starts") + both);
                }
            }
            report.add("LiteLLM " + version + ": " + cases.size() + " cases, " + agree + " agree (" + projectOnly.size()
                    + " of them refused by validate's project rules only, LiteLLM starts), " + gaps.size() + " known gaps, "
                    + (cases.size() - agree - gaps.size()) + " disagree");
            report.add("  project rules only, " + version + ": " + String.join("; ", projectOnly));
            gaps.forEach(g -> report.add("  known gap " + version + " " + g));
        }
        System.out.println(String.join("\n", report));
        if (!disagreements.isEmpty()) {
            fail(disagreements.size() + " disagreements between validate and LiteLLM's own loader:\n" + String.join("\n", disagreements)
                    + "\n" + String.join("\n", report));
        }
    }

    private static List<Path> cases() throws IOException {
        try (Stream<Path> files = Files.list(CORPUS)) {
            // inc-*.yaml are the files the include cases include, not cases
            return files.filter(p -> p.getFileName().toString().endsWith(".yaml") && !p.getFileName().toString().startsWith("inc-")).sorted().toList();
        }
    }

    /** The project rules a case expects to fire: a comment line {@code # project rules: a, b}. */
    private static Set<String> declaredProjectRules(Path file) throws IOException {
        return Files.readAllLines(file, StandardCharsets.UTF_8).stream().filter(l -> l.startsWith("# project rules:"))
                .flatMap(l -> Arrays.stream(l.substring("# project rules:".length()).split(","))).map(String::strip)
                .filter(s -> !s.isEmpty()).collect(Collectors.toSet());
    }

    private static OurVerdict validate(Path file, String version) throws IOException {
        StringWriter out = new StringWriter();
        CommandLine cli = LitellmDeployCommand.configure(new CommandLine(new LitellmDeployCommand()));
        cli.setOut(new PrintWriter(out, true)).setErr(new PrintWriter(out, true));
        cli.execute("validate", "--json", "--litellm-version", version, file.toString());
        List<String> litellmRules = new ArrayList<>();
        List<String> projectRules = new ArrayList<>();
        List<String> messages = new ArrayList<>();
        for (JsonNode finding : JSON.readTree(out.toString())) {
            if (!"ERROR".equals(finding.path("severity").asText())) {
                continue;
            }
            String code = finding.path("code").asText();
            Rule rule = Rule.of(code).orElseThrow(() -> new AssertionError("validate reported '" + code + "', which the rule table lacks"));
            (rule.litellmRefuses(version) ? litellmRules : projectRules).add(code);
            messages.add("[" + code + (rule.litellmRefuses(version) ? "" : ", project rule") + "] " + finding.path("message").asText());
        }
        return new OurVerdict(litellmRules, projectRules, messages);
    }

    /**
     * LiteLLM's verdict on every case, from litellm_verdicts.py, in a network namespace of its own that has only loopback:
     * LiteLLM's start reaches for the network (and waits on it here), and tests talk to nothing beyond loopback.
     */
    private static Map<String, LiteLlmVerdict> litellm(Path python) {
        List<String> command = new ArrayList<>(NAMESPACE);
        command.addAll(List.of(python.toString(), CORPUS.resolve("litellm_verdicts.py").toString(), CORPUS.toString()));
        try {
            Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(5, TimeUnit.MINUTES) || process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed (see its messages above):\n" + out);
            }
            Map<String, LiteLlmVerdict> verdicts = new TreeMap<>();
            for (String line : out.lines().toList()) {
                JsonNode v = JSON.readTree(line);
                String verdict = v.path("verdict").asText();
                verdicts.put(v.path("file").asText(), new LiteLlmVerdict(!"accepts".equals(verdict),
                        ("refuses".equals(verdict) ? "" : verdict + ": ") + v.path("error").asText()));
            }
            return verdicts;
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + command + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Fails, with what to do, when this machine cannot give a process a network namespace of its own. */
    private static void requireNetworkNamespace() throws IOException, InterruptedException {
        List<String> probe = new ArrayList<>(NAMESPACE);
        probe.add("true");
        Process p = new ProcessBuilder(probe).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
            fail("cannot make a network namespace with only loopback (" + String.join(" ", probe) + "): " + out.strip()
                    + ". unshare and ip come with Debian's util-linux and iproute2 (apt-get install -y util-linux iproute2);"
                    + " as a user other than root, user namespaces must be allowed (sysctl -w kernel.unprivileged_userns_clone=1)");
        }
    }
}
