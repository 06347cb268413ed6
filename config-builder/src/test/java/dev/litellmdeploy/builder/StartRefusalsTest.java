package dev.litellmdeploy.builder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The refusals the differential test against LiteLLM's own loader found (LiteLLMDifferentialTest,
 * action-entrypoint), each pinned here without Python: configs LiteLLM 1.80.9 / 1.108.7 refuse to
 * start and validate once accepted, and the version-keyed ones.
 */
class StartRefusalsTest {
    private static final String MODELS = "model_list:\n  - model_name: gpt-4o\n    litellm_params: {model: openai/gpt-4o}\n";
    private static final String KEY = "general_settings:\n  master_key: sk-fake-master-0001\n";

    @TempDir
    Path dir;

    private List<String> errors(String yaml, String version) throws IOException {
        Path file = dir.resolve("config.yaml");
        Files.writeString(file, yaml);
        return new ConfigBuilder().validate(file, new ValidationOptions("127.0.0.1", false, version)).stream()
                .filter(Finding::isError).map(Finding::code).toList();
    }

    @Test
    void anEmptyConfigOrOneThatIsAListIsRefused() throws IOException {
        assertEquals(List.of("config-empty"), errors("# nothing but a comment\n", null));
        assertEquals(List.of("document-not-a-mapping"), errors("- model_name: gpt-4o\n  litellm_params: {model: openai/gpt-4o}\n", null));
    }

    @Test
    void generalOrLitellmSettingsThatAreNotMappingsAreRefused() throws IOException {
        assertEquals(List.of("section-not-a-mapping"), errors(MODELS + "general_settings:\n  - master_key: sk-fake-master-0001\n", null));
        assertEquals(List.of("section-not-a-mapping"), errors(MODELS + KEY + "litellm_settings:\n  - drop_params: true\n", null));
        assertEquals(List.of(), errors(MODELS + KEY + "router_settings:\n  - routing_strategy: simple-shuffle\n", null), "LiteLLM ignores it");
    }

    @Test
    void environmentVariablesAndMcpServersMustBeMappingsAndCredentialsComplete() throws IOException {
        assertEquals(List.of("section-not-a-mapping"), errors(MODELS + KEY + "environment_variables:\n  - A=b\n", null));
        assertEquals(List.of("section-not-a-mapping"), errors(MODELS + KEY + "mcp_servers:\n  - url: http://127.0.0.1:9/mcp\n", null));
        String credential = "credential_list:\n  - credential_name: c\n    credential_values: {api_key: sk-fake-1}\n";
        assertEquals(List.of("credential-malformed"), errors(MODELS + KEY + credential, null), "credential_info is required too");
        assertEquals(List.of(), errors(MODELS + KEY + credential + "    credential_info: {}\n", null));
    }

    @Test
    void anUnknownRoutingStrategyIsRefusedFrom1_108_7() throws IOException {
        String yaml = MODELS + KEY + "router_settings:\n  routing_strategy: fastest-please\n";
        assertEquals(List.of("routing-strategy-unknown"), errors(yaml, "1.108.7"));
        assertEquals(List.of(), errors(yaml, "1.80.9"), "1.80.9 starts (a warning)");
        assertEquals(List.of(), errors(MODELS + KEY + "router_settings:\n  routing_strategy: latency-based-routing\n", "1.108.7"));
    }

    @Test
    void guardrailsMustBeAListOfKnownOrLocalGuardrails() throws IOException {
        String guard = "guardrails:\n  - guardrail_name: g\n    litellm_params: {guardrail: %s, mode: pre_call}\n";
        assertEquals(List.of(), errors(MODELS + KEY + guard.formatted("presidio"), "1.80.9"));
        assertEquals(List.of("module-not-found"), errors(MODELS + KEY + guard.formatted("custom_guardrail.myCustomGuardrail"), null),
                "a local guardrail needs its module beside the config");
        Files.writeString(dir.resolve("custom_guardrail.py"), "class myCustomGuardrail: pass\n");
        assertEquals(List.of(), errors(MODELS + KEY + guard.formatted("custom_guardrail.myCustomGuardrail"), null));
        assertEquals(List.of("guardrail-unknown"), errors(MODELS + KEY + guard.formatted("no-such-vendor"), "1.80.9"));
        assertEquals(List.of("guardrails-malformed"), errors(MODELS + KEY + "guardrails:\n  g:\n    guardrail: presidio\n", null));
        assertEquals(List.of("guardrails-malformed"), errors(MODELS + KEY + "guardrails:\n  - guardrail_name: g\n", null));
    }

    @Test
    void fromLiteLlm1_108_7AMissingEmptyOrPublicMasterKeyIsRefused() throws IOException {
        assertEquals(List.of("master-key-required"), errors(MODELS, "1.108.7"));
        assertEquals(List.of("master-key-required"), errors(MODELS + "general_settings:\n  master_key: sk-1234\n", "1.108.7"));
        assertEquals(List.of("master-key-required"), errors(MODELS + "general_settings:\n  master_key: \"\"\n", "1.108.7"));
        assertEquals(List.of(), errors(MODELS + "general_settings:\n  dangerously_permit_weak_or_unset_master_key: true\n", "1.108.7"));
        assertEquals(List.of(), errors(MODELS + KEY, "1.108.7"));
        assertEquals(List.of(), errors(MODELS + "general_settings:\n  master_key: sk-1234\n", "1.80.9"), "1.80.9 starts");
        assertEquals(List.of(), errors(MODELS, null), "unknown version: as before the check");
    }

    @Test
    void aSingleFallbackNameIsAProjectRuleBefore1_108_7AndLiteLlmsRefusalFromIt() throws IOException {
        String yaml = MODELS + KEY + "router_settings:\n  default_fallbacks: gpt-4o\n";
        assertEquals(List.of("fallback-target-not-a-list"), errors(yaml, "1.80.9"));
        assertTrue(Rule.FALLBACK_TARGET_NOT_A_LIST.litellmRefuses("1.108.7") && !Rule.FALLBACK_TARGET_NOT_A_LIST.litellmRefuses("1.80.9"));
        assertEquals(List.of("context-window-fallbacks-malformed"),
                errors(MODELS + KEY + "router_settings:\n  context_window_fallbacks: {gpt-4o: [gpt-4o]}\n", null));
    }
}
