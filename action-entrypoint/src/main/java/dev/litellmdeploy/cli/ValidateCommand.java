package dev.litellmdeploy.cli;

import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import dev.litellmdeploy.builder.ConfigBuilder;
import dev.litellmdeploy.builder.Finding;
import dev.litellmdeploy.builder.PythonLock;
import dev.litellmdeploy.builder.ValidationOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "validate", mixinStandardHelpOptions = true, showDefaultValues = true,
        description = {
            "Check any LiteLLM config.yaml and report every problem with its line: missing models,",
            "master_key in the wrong section, unknown fallbacks, bad rpm/tpm, no auth on a public address;",
            "a known-compromised LiteLLM version, and the lock file (when there is one) with its pins and hashes.",
        },
        footer = {"", "Example:", "  litellm-deploy validate bundle/config.yaml"})
public final class ValidateCommand extends CliCommand {
    static final String UNKNOWN_VERSION = "unknown";

    @Parameters(paramLabel = "FILE", description = "The config.yaml to check.")
    Path file;

    @Option(names = "--listen-host", paramLabel = "ADDR")
    String listenHost;

    @Option(names = "--allow-no-auth")
    boolean allowNoAuth;

    @Option(names = "--litellm-version", paramLabel = "VERSION", defaultValue = UNKNOWN_VERSION, description = {
        "The LiteLLM version that will run the config, for the rules that differ between versions (docs/validation.md).",
        "unknown: the older versions' verdict, with warnings where later ones refuse. `build` passes the version it pins."})
    String litellmVersion;

    @Option(names = "--lock", paramLabel = "FILE")
    Path lock;


    @Override
    public Integer call() throws Exception {
        Console console = console();
        List<Finding> findings = new java.util.ArrayList<>();
        String version = UNKNOWN_VERSION.equals(litellmVersion) ? null : litellmVersion;
        if (lock != null && java.nio.file.Files.isRegularFile(lock)) {
            try {
                PythonLock pinned = PythonLock.parse(java.nio.file.Files.readString(lock), lock.toString());
                version = version != null ? version : pinned.litellmVersion();
            } catch (IllegalArgumentException e) {
                findings.add(Finding.error("lock", dev.litellmdeploy.builder.Location.of(lock.toString(), 0), e.getMessage()));
            }
        }
        findings.addAll(new ConfigBuilder().validate(file, new ValidationOptions(listenHost, allowNoAuth, version)));
        boolean failed = findings.stream().anyMatch(Finding::isError);
        if (json) {
            console.out().println(Printable.escapingJson(new ObjectMapper()).enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(findings));
        } else {
            findings.forEach(console::finding);
            if (!failed) {
                console.out().println(file + ": valid" + (findings.isEmpty() ? "" : " (" + findings.size() + " warnings)"));
            }
        }
        return failed ? ExitCodes.INVALID_INPUT : ExitCodes.OK;
    }
}
