package dev.litellmdeploy.builder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A fallback name is valid when LiteLLM's router would route it (router.py _common_checks_available_deployment). */
class FallbackRoutingTest {
    private static final String KEY = "general_settings:\n  master_key: sk-fake-1234\n";
    private static final String GPT = "  - model_name: gpt-4o\n    litellm_params: {model: openai/gpt-4o}\n";

    @TempDir
    Path dir;

    private List<Finding> validate(String yaml) throws IOException {
        Path file = dir.resolve("config.yaml");
        Files.writeString(file, KEY + yaml);
        return new ConfigBuilder().validate(file, ValidationOptions.DEFAULTS);
    }

    private List<String> codes(String yaml) throws IOException {
        return validate(yaml).stream().map(Finding::code).toList();
    }

    @Test
    void aFallbackToANameAProviderWildcardRoutesIsAccepted() throws IOException {
        assertEquals(List.of(), validate("model_list:\n" + GPT
                + "  - model_name: azure/*\n    litellm_params: {model: azure/*, api_key: os.environ/AZURE_API_KEY}\n"
                + "router_settings:\n  fallbacks: [{gpt-4o: [azure/gpt-4o]}]\n"));
    }

    @Test
    void aCatchAllModelNameServesEveryFallbackName() throws IOException {
        assertEquals(List.of(), validate("model_list:\n" + GPT + "  - model_name: \"*\"\n    litellm_params: {model: \"*\"}\n"
                + "litellm_settings:\n  fallbacks: [{gpt-4o: [anything-at-all]}]\n"));
    }

    @Test
    void wildcardsMatchFromTheStartWithEverythingElseLiteralAsInLiteLLMsPatternRouter() throws IOException {
        String models = "model_list:\n" + GPT + "  - model_name: openai/gpt-4*\n    litellm_params: {model: openai/gpt-4*}\n"
                + "  - model_name: my.org/*\n    litellm_params: {model: openai/*}\n";
        assertEquals(List.of(), validate(models + "router_settings:\n  fallbacks: [{gpt-4o: [openai/gpt-4o-mini, my.org/x]}]\n"));
        List<Finding> findings = validate(models + "router_settings:\n  fallbacks: [{gpt-4o: [openai/gpt-3.5-turbo, myXorg/x]}]\n");
        assertEquals(2, findings.stream().filter(f -> f.code().equals("unknown-fallback")).count(), findings.toString());
    }

    @Test
    void aBareNameReachesAProviderWildcardAsTheRouterRetriesItWithItsProvider() throws IOException {
        assertEquals(List.of(), validate("model_list:\n" + GPT + "  - model_name: anthropic/*\n    litellm_params: {model: anthropic/*}\n"
                + "router_settings:\n  fallbacks: [{gpt-4o: [claude-3-5-sonnet-20240620]}]\n"));
    }

    @Test
    void aFallbackToAModelGroupAliasIsAccepted() throws IOException {
        assertEquals(List.of(), validate("model_list:\n" + GPT
                + "router_settings:\n  model_group_alias: {gpt-4: gpt-4o, gpt-4-hidden: {model: gpt-4o, hidden: true}}\n"
                + "  fallbacks: [{gpt-4-hidden: [gpt-4]}]\n"));
    }

    @Test
    void aFallbackToALitellmParamsModelOrAModelIdIsAccepted() throws IOException {
        assertEquals(List.of(), validate("model_list:\n" + GPT
                + "  - model_name: backup\n    litellm_params: {model: azure/gpt-4o-eu}\n    model_info: {id: eu-deployment}\n"
                + "router_settings:\n  fallbacks: [{gpt-4o: [azure/gpt-4o-eu, eu-deployment]}]\n"));
    }

    @Test
    void aFallbackMappingWithOtherThanOneKeyIsAnErrorAsLiteLLMsRouterRaises() throws IOException {
        String models = "model_list:\n" + GPT + "  - model_name: b\n    litellm_params: {model: openai/b}\n";
        assertEquals(List.of("fallbacks-not-one-key"), codes(models + "router_settings:\n  fallbacks: [{gpt-4o: [b], b: [gpt-4o]}]\n"));
        assertEquals(List.of("fallbacks-not-one-key"), codes(models + "litellm_settings:\n  content_policy_fallbacks: [{}]\n"));
        Finding f = validate(models + "router_settings:\n  fallbacks: [{gpt-4o: [b], b: [gpt-4o]}]\n").get(0);
        assertTrue(f.message().contains("2 keys") && f.message().contains("{gpt-4o: [b]}, {b: [gpt-4o]}"), f.message());
    }

    @Test
    void contextWindowFallbacksWithTwoKeysAreAcceptedAsTheRouterDoesNotCheckThem() throws IOException {
        assertEquals(List.of(), validate("model_list:\n" + GPT + "  - model_name: b\n    litellm_params: {model: openai/b}\n"
                + "router_settings:\n  context_window_fallbacks: [{gpt-4o: [b], b: [gpt-4o]}]\n"));
    }

    @Test
    void defaultFallbacksNamesAreChecked() throws IOException {
        assertEquals(List.of(), validate("model_list:\n" + GPT + "router_settings:\n  default_fallbacks: [gpt-4o]\n"));
        List<Finding> findings = validate("model_list:\n" + GPT + "litellm_settings:\n  default_fallbacks: [gpt-4oo]\n");
        assertEquals(List.of("unknown-fallback"), findings.stream().map(Finding::code).toList());
        assertTrue(findings.get(0).message().contains("litellm_settings.default_fallbacks") && findings.get(0).message().contains("did you mean gpt-4o?"),
                findings.get(0).message());
        assertEquals(List.of("fallback-target-not-a-list"), codes("model_list:\n" + GPT + "router_settings:\n  default_fallbacks: gpt-4o\n"));
    }

    @Test
    void aFallbackTargetThatIsNotAListIsAnError() throws IOException {
        assertEquals(List.of("fallback-target-not-a-list"), codes("model_list:\n" + GPT + "  - model_name: b\n    litellm_params: {model: openai/b}\n"
                + "router_settings:\n  fallbacks: [{gpt-4o: b}]\n"));
    }
}
