package dev.litellmdeploy.builder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Python modules a config loads from its folder (get_instance_fn with config_file_path) go into the bundle; missing ones fail the build. */
class LocalModulesTest {
    static final String MODELS = "model_list:\n  - model_name: a\n    litellm_params: {model: openai/a}\n";

    @TempDir
    Path dir;

    private void write(String name, String text) throws Exception {
        Files.writeString(dir.resolve(name), text);
    }

    private BuildResult build(String version) throws Exception {
        return new ConfigBuilder().build(BuildRequest.fromConfig(dir.resolve("config.yaml"), dir.resolve("out"),
                BundleOptions.defaults().withLitellmVersion(version)));
    }

    private List<Finding> validate(String version) {
        return new ConfigBuilder().validate(dir.resolve("config.yaml"), new ValidationOptions("0.0.0.0", false, version));
    }

    private Set<String> bundled() throws Exception {
        try (Stream<Path> list = Files.list(dir.resolve("out"))) {
            return list.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".py")).collect(Collectors.toSet());
        }
    }

    @Test
    void everyModuleTheConfigLoadsFromItsFolderIsBundled() throws Exception {
        write("config.yaml", MODELS + "general_settings:\n  master_key: sk-fake-1\n  custom_auth: custom_auth.user_api_key_auth\n"
                + "  custom_sso: sso.handler\nlitellm_settings:\n  callbacks: [otel, custom_callbacks.proxy_handler_instance]\n"
                + "  post_call_rules: rules.my_rule\n  custom_provider_map:\n    - {provider: my-llm, custom_handler: my_llm.instance}\n"
                + "guardrails:\n  - guardrail_name: g\n    litellm_params: {guardrail: custom_guardrail.MyGuardrail, mode: pre_call}\n"
                + "  - guardrail_name: p\n    litellm_params: {guardrail: presidio, mode: pre_call}\n");
        for (String m : List.of("custom_auth", "sso", "custom_callbacks", "rules", "my_llm", "custom_guardrail")) {
            write(m + ".py", "# " + m + "\n");
        }
        BuildResult r = build("1.80.9");
        assertEquals(Set.of("custom_auth.py", "sso.py", "custom_callbacks.py", "rules.py", "my_llm.py", "custom_guardrail.py"), bundled());
        assertEquals("# sso\n", Files.readString(dir.resolve("out/sso.py")));
        assertTrue(r.manifest().files().containsKey("custom_guardrail.py"));
    }

    @Test
    void aModuleTheConfigNamesButThatIsMissingFailsTheBuild() throws Exception {
        write("config.yaml", MODELS + "general_settings:\n  master_key: sk-fake-1\n  custom_auth: custom_auth.user_api_key_auth\n");
        List<String> errors = validate("1.80.9").stream().filter(Finding::isError).map(Finding::toString).toList();
        assertEquals(List.of("config.yaml:6: error [module-not-found] general_settings.custom_auth loads user_api_key_auth from"
                + " custom_auth.py, which is not in the config's folder; LiteLLM fails at start without it (ImportError). Put"
                + " custom_auth.py beside the config"), errors);
    }

    @Test
    void aModuleInASubfolderIsRefusedNamingTheFile() throws Exception {
        write("config.yaml", MODELS + "general_settings:\n  master_key: sk-fake-1\n  custom_auth: hooks.auth.user_api_key_auth\n");
        List<String> errors = validate("1.108.7").stream().filter(Finding::isError).map(Finding::message).toList();
        assertEquals(1, errors.size(), errors.toString());
        assertTrue(errors.get(0).contains("loads hooks/auth.py, which is in a subdirectory"), errors.get(0));
    }

    /** 1.80.9 imports success_callback entries from sys.path (no config path): a module beside the config is not found on the server. */
    @Test
    void aSuccessCallbackBesideTheConfigIsAnErrorBefore1_108_7AndBundledFrom1_108_7() throws Exception {
        write("config.yaml", MODELS + "general_settings: {master_key: sk-fake-1}\nlitellm_settings:\n  success_callback: [langfuse, cb.on_ok]\n");
        write("cb.py", "def on_ok(*a): pass\n");
        List<String> old = validate("1.80.9").stream().filter(Finding::isError).map(Finding::code).toList();
        assertEquals(List.of("callback-not-importable"), old);
        build("1.108.7");
        assertEquals(Set.of("cb.py"), bundled());
    }

    @Test
    void builtInNamesAndLiteLLMsOwnModulesAreNotLookedFor() throws Exception {
        write("config.yaml", MODELS + "general_settings: {master_key: sk-fake-1}\nlitellm_settings:\n  callbacks: [prometheus, otel]\n"
                + "  success_callback: [litellm.integrations.x.y]\n");
        assertEquals(List.of(), validate("1.108.7").stream().filter(Finding::isError).toList());
    }
}
