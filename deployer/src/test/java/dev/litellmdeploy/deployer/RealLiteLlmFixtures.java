package dev.litellmdeploy.deployer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.litellmdeploy.builder.BuildRequest;
import dev.litellmdeploy.builder.BundleOptions;
import dev.litellmdeploy.builder.ConfigBuilder;
import dev.litellmdeploy.builder.PythonLock;
import dev.litellmdeploy.deployer.bundle.Bundle;
import dev.litellmdeploy.testsupport.RealLiteLlm;
import dev.litellmdeploy.testsupport.TestFiles;

/** Bundles for the real-LiteLLM tests: the example plus a model routed to the fake provider. */
final class RealLiteLlmFixtures {
    static final String MASTER_KEY = "sk-fake-master-key-example-0000000000";

    private static final Map<String, Wheelhouse> WHEELHOUSES = new ConcurrentHashMap<>();

    private RealLiteLlmFixtures() {
    }

    /** The prepared version's wheelhouse, read and digested once per JVM. */
    static Wheelhouse wheelhouse(RealLiteLlm litellm) {
        return WHEELHOUSES.computeIfAbsent(litellm.version(), v -> Wheelhouse.read(litellm.wheelhouse()));
    }

    /**
     * The lock `litellm-deploy lock` makes from PyPI for this version: the project's header over the hash-pinned resolution
     * tools/prepare-wheelhouse kept (the same uv pip compile --generate-hashes --only-binary :all: for CPython 3.11 on
     * x86_64-manylinux_2_36); LockCommandTest runs the lock command itself.
     */
    static PythonLock lock(RealLiteLlm litellm) throws java.io.IOException {
        String resolved = Files.readString(litellm.wheelhouse().resolve("requirements.txt"), java.nio.charset.StandardCharsets.UTF_8);
        return PythonLock.parse(PythonLock.header(java.util.List.of("litellm[proxy]==" + litellm.version()), "3.11", "x86_64-manylinux_2_36")
                + resolved, "the lock of " + litellm.version());
    }

    /** The unit environment of a bundle built with {@code --wheelhouse} for this version, plus LiteLLM's bundled cost map. */
    static Map<String, String> offline(RealLiteLlm litellm) {
        Map<String, String> env = new LinkedHashMap<>(wheelhouse(litellm).unitEnvironment(RemoteLayout.defaults()));
        env.put("LITELLM_LOCAL_MODEL_COST_MAP", "True");
        return env;
    }

    /** The local wheelhouse a bundle's unit installs from (what {@code deploy --wheelhouse} gets), or null. */
    static Wheelhouse wheelhouseFor(Bundle bundle) {
        String named = Wheelhouse.namedBy(bundle, RemoteLayout.defaults());
        return WHEELHOUSES.values().stream().filter(w -> w.shortDigest().equals(named)).findFirst().orElse(null);
    }

    /** The model entry that routes to the fake provider on the host's loopback, with scone_labs.api_key from the secrets repo. */
    static String providerEcho(int providerPort) {
        return "- model_name: provider-echo\n  litellm_params:\n    model: openai/echo-1\n    api_base: http://127.0.0.1:" + providerPort
                + "/v1\n    api_key: {{scone_labs.api_key}}\n";
    }

    /** The example's templates plus the provider-echo model (and extra model templates: file name -> text), built in dir/name. */
    static Bundle bundle(Path dir, String name, BundleOptions options, int providerPort, String... extraModels) throws Exception {
        Path templates = dir.resolve(name).resolve("templates");
        TestFiles.copyTree(Fixtures.EXAMPLES.resolve("templates"), templates);
        Files.writeString(templates.resolve("models/40-provider-echo.yaml.mustache"), providerEcho(providerPort));
        for (int i = 0; i < extraModels.length; i++) {
            Files.writeString(templates.resolve("models/50-extra-" + i + ".yaml.mustache"), extraModels[i]);
        }
        Path out = dir.resolve(name).resolve("bundle");
        new ConfigBuilder().build(BuildRequest.fromTemplates(templates, Fixtures.EXAMPLES.resolve("secrets"), out,
                options.withSourceRevision("test-" + name)));
        return Bundle.read(out);
    }
}
