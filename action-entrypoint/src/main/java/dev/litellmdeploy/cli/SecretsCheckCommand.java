package dev.litellmdeploy.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import dev.litellmdeploy.builder.ConfigValidationException;
import dev.litellmdeploy.builder.Finding;
import dev.litellmdeploy.builder.SecretsCheck;
import dev.litellmdeploy.builder.SecretsLoader;
import dev.litellmdeploy.builder.secrets.DecryptionException;
import dev.litellmdeploy.deployer.bundle.SecretRegistry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "check", mixinStandardHelpOptions = true, showDefaultValues = true,
        description = {
            "Report which files of a secrets directory open (plain, SOPS, age) and the keys they hold.",
            "Every file is opened in memory, as build opens it; with --templates, also the keys no template",
            "uses. No value is printed and nothing is written. Exit 3 when a file cannot be opened (no key,",
            "wrong key, tampered value or MAC, unsupported key types).",
        },
        footer = {"", "Example:", "  SOPS_AGE_KEY_FILE=keys.txt litellm-deploy secrets check --secrets secrets --templates templates"})
public final class SecretsCheckCommand extends CliCommand {
    @Option(names = "--secrets", paramLabel = "DIR", required = true, description = "The secrets directory to check.")
    Path secrets;

    @Option(names = "--templates", paramLabel = "DIR", description = "Templates directory: also report the keys no template uses.")
    Path templates;

    @Mixin
    AgeIdentityOptions age;

    @Override
    public Integer call() throws Exception {
        Console console = console();
        SecretsCheck.Report report;
        try {
            report = new SecretsCheck(new SecretsLoader(age.identities(System.getenv()))).check(secrets, templates);
            SecretRegistry.global().add(report.masks());
        } catch (DecryptionException e) {
            console.problem(e.getMessage());
            return ExitCodes.INVALID_INPUT;
        } catch (ConfigValidationException e) {
            e.findings().forEach(console::finding);
            return ExitCodes.INVALID_INPUT;
        }
        if (json) {
            console.out().println(Printable.escapingJson(new ObjectMapper()).enable(SerializationFeature.INDENT_OUTPUT)
                    .writeValueAsString(body(report)));
        } else {
            print(console, report);
        }
        return report.ok() ? ExitCodes.OK : ExitCodes.INVALID_INPUT;
    }

    private static void print(Console console, SecretsCheck.Report report) {
        for (SecretsCheck.FileReport f : report.files()) {
            String state = f.opened() ? (f.protection().equals("plain") ? "plain" : f.protection() + ", decrypts") : f.protection() + ", cannot be opened";
            console.out().println(Printable.value(f.file()) + ": " + state + "; " + f.keys().size() + (f.keys().size() == 1 ? " key" : " keys")
                    + (f.keys().isEmpty() ? "" : ": " + Printable.values(f.keys())));
            f.problems().forEach(console::finding);
        }
        report.otherProblems().forEach(console::finding);
        report.templateFindings().forEach(console::finding);
        long failed = report.files().stream().filter(f -> !f.opened()).count();
        console.out().println(report.files().size() + " files: " + (report.files().size() - failed) + " open, " + failed + " cannot be opened"
                + unused(report.templateFindings()));
    }

    private static String unused(List<Finding> findings) {
        long n = findings.stream().filter(f -> f.code().equals("unused-secret")).count();
        return n == 0 ? "" : "; " + n + (n == 1 ? " key" : " keys") + " no template uses";
    }

    private static Map<String, Object> body(SecretsCheck.Report report) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("ok", report.ok());
        body.put("files", report.files().stream().map(f -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("file", f.file());
            m.put("protection", f.protection());
            m.put("opened", f.opened());
            m.put("keys", f.keys());
            m.put("problems", f.problems().stream().map(Finding::toString).toList());
            return m;
        }).toList());
        body.put("template_findings", report.templateFindings().stream().map(Finding::toString).toList());
        body.put("problems", report.otherProblems().stream().map(Finding::toString).toList());
        return body;
    }
}
