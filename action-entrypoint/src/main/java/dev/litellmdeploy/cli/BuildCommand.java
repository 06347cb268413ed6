package dev.litellmdeploy.cli;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import dev.litellmdeploy.builder.BuildRequest;
import dev.litellmdeploy.builder.BuildResult;
import dev.litellmdeploy.builder.BundleOptions;
import dev.litellmdeploy.builder.ConfigBuilder;
import dev.litellmdeploy.builder.ConfigValidationException;
import dev.litellmdeploy.builder.Finding;
import dev.litellmdeploy.builder.SecretsLoader;
import dev.litellmdeploy.builder.secrets.DecryptionException;
import dev.litellmdeploy.builder.PythonLock;
import dev.litellmdeploy.deployer.RemoteLayout;
import dev.litellmdeploy.deployer.Wheelhouse;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "build", mixinStandardHelpOptions = true, showDefaultValues = true,
        description = {
            "Render templates + a secrets directory (or take a ready config.yaml) into a bundle directory:",
            "config.yaml, config.redacted.yaml, litellm.service, manifest.json, requirements.lock (and litellm.env with --env-file).",
            "The unit runs the hash-pinned environment of the lock (`litellm-deploy lock`); --unlocked opts out.",
            "Every problem is reported with file and line; nothing is written unless the inputs are valid.",
        },
        footer = {"", "Example:", "  litellm-deploy lock --litellm-version 1.80.9   # once, then commit requirements.lock",
            "  litellm-deploy build --lock requirements.lock --templates examples/templates --secrets examples/secrets --out bundle"})
public final class BuildCommand extends CliCommand {

    static final class Source {
        @ArgGroup(exclusive = false)
        Templates templates;

        @Option(names = "--config", paramLabel = "FILE", required = true,
                description = "A ready LiteLLM config.yaml (built elsewhere, e.g. by Nix): validated and bundled as is.")
        Path config;
    }

    static final class Templates {
        @Option(names = "--templates", paramLabel = "DIR", required = true,
                description = "Templates directory: config.yaml.mustache and models/*.yaml.mustache.")
        Path templates;

        @Option(names = "--secrets", paramLabel = "DIR",
                description = "The checked-out secrets repo: *.yaml, *.yml, *.json merged into the template context; SOPS-encrypted"
                        + " files and *.age files are decrypted in memory (see --age-identity).")
        Path secrets;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    @Option(names = "--out", paramLabel = "DIR")
    Path out;

    @Mixin
    ServiceOptions service;

    @Mixin
    AgeIdentityOptions age;

    @Option(names = "--wheelhouse", paramLabel = "DIR")
    Path wheelhouse;

    @Option(names = "--lock", paramLabel = "FILE")
    Path lock;

    @Option(names = "--unlocked")
    boolean unlocked;


    /**
     * The unit installs LiteLLM from the wheelhouse's place on the server only (what the plan prints is what runs), and LiteLLM
     * reads its bundled model cost map: offline its fetch from GitHub can only fail (then it uses the same bundled map), and a
     * fetch that gets no answer holds every start for its 5 s timeout (bench/run costmap, docs/offline.md). A --unit-env
     * LITELLM_LOCAL_MODEL_COST_MAP wins (empty: fetch).
     */
    public static BundleOptions withWheelhouse(BundleOptions options, Wheelhouse w) {
        Map<String, String> env = new LinkedHashMap<>(options.environment());
        for (Map.Entry<String, String> e : w.unitEnvironment(RemoteLayout.defaults()).entrySet()) {
            String given = env.put(e.getKey(), e.getValue());
            if (given != null && !given.equals(e.getValue())) {
                throw new IllegalArgumentException("--unit-env " + e.getKey() + "=" + given + " contradicts --wheelhouse, which sets "
                        + e.getKey() + "=" + e.getValue() + "; give one of them");
            }
        }
        env.putIfAbsent(LOCAL_COST_MAP, "True");
        return options.withEnvironment(env);
    }

    static final String LOCAL_COST_MAP = "LITELLM_LOCAL_MODEL_COST_MAP";

    private boolean given(String option) {
        return spec.commandLine().getParseResult() != null && spec.commandLine().getParseResult().hasMatchedOption(option);
    }

    @Override
    public Integer call() throws Exception {
        Console console = console();
        BundleOptions options = service.toBundleOptions();
        if (unlocked && given("--lock")) {
            console.problem("--lock and --unlocked contradict each other; give one");
            return ExitCodes.USAGE;
        }
        if (!unlocked) {
            if (!Files.isRegularFile(lock)) {
                console.problem("there is no lock file " + lock + ": a bundle runs the hash-pinned environment of its lock. Make one with"
                        + " `litellm-deploy lock --litellm-version " + options.litellmVersion() + "` and commit it, or build with --unlocked"
                        + " (the unit then resolves LiteLLM's dependencies with uvx at every cold start: servers and rollbacks may run"
                        + " different versions, and a compromised upload reaches a server on its next cache miss). Nothing was written.");
                return ExitCodes.INVALID_INPUT;
            }
            PythonLock pinned = PythonLock.parse(Files.readString(lock, StandardCharsets.UTF_8), lock.toString());
            options = options.lockedTo(pinned, given("--litellm-version") || System.getenv("LITELLM_VERSION") != null,
                    given("--python-version"));
        } else {
            console.hint("unlocked: LiteLLM's dependencies are resolved by uvx on each server at its first start, not pinned.");
        }
        if (wheelhouse != null) {
            options = withWheelhouse(options, Wheelhouse.read(wheelhouse));
        }
        BuildRequest request = source.config != null
                ? BuildRequest.fromConfig(source.config, out, options)
                : BuildRequest.fromTemplates(source.templates.templates, source.templates.secrets, out, options);
        try {
            BuildResult result = new ConfigBuilder(new SecretsLoader(age.identities(System.getenv()))).build(request);
            result.warnings().forEach(console::finding);
            if (json) {
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("bundle", out.toString());
                body.put("manifest", result.manifest());
                body.put("warnings", result.warnings().stream().map(Finding::toString).toList());
                console.out().println(Printable.escapingJson(new ObjectMapper()).findAndRegisterModules().enable(SerializationFeature.INDENT_OUTPUT)
                        .writeValueAsString(body));
            } else {
                console.out().printf("Built %s: %d model names (%s), bundle %s%n", out, result.manifest().models().size(),
                        Printable.values(result.manifest().models()), result.manifest().bundleId().substring(0, 12));
            }
            return ExitCodes.OK;
        } catch (ConfigValidationException e) {
            e.findings().forEach(console::finding);
            long errors = e.findings().stream().filter(Finding::isError).count();
            console.problem(errors + (errors == 1 ? " problem" : " problems") + " in the inputs; nothing was written.");
            return ExitCodes.INVALID_INPUT;
        } catch (DecryptionException e) {
            console.problem(e.getMessage() + "; nothing was written.");
            return ExitCodes.INVALID_INPUT;
        }
    }
}
