package dev.litellmdeploy.builder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each LiteLLM-aware rule, on a ready config.yaml through the validate entry point. */
class ValidationTest {
    @TempDir
    Path dir;

    private List<Finding> validate(String yaml) throws IOException {
        return validate(yaml, ValidationOptions.DEFAULTS);
    }

    private List<Finding> validate(String yaml, ValidationOptions options) throws IOException {
        Path file = dir.resolve("config.yaml");
        Files.writeString(file, yaml);
        return new ConfigBuilder().validate(file, options);
    }

    private static final String KEY = "general_settings:\n  master_key: sk-fake-1234\n";

    private static Finding only(List<Finding> findings, String code) {
        List<Finding> matching = findings.stream().filter(f -> f.code().equals(code)).toList();
        assertEquals(1, matching.size(), () -> "expected one " + code + " in " + findings);
        return matching.get(0);
    }

    @Test
    void missingOrEmptyModelListIsAnError() throws IOException {
        assertEquals(Severity.ERROR, only(validate(KEY), "no-models").severity());
        assertEquals(2, only(validate(KEY + "model_list: []\n"), "no-models").location().line() - 1);
    }

    @Test
    void entryWithoutModelNameOrModelIsAnErrorAtItsLine() throws IOException {
        List<Finding> findings = validate(KEY + "model_list:\n  - litellm_params: {model: openai/a}\n  - model_name: b\n    litellm_params: {api_key: x}\n");
        assertEquals(4, only(findings, "model-name-missing").location().line());
        assertEquals(6, only(findings, "model-missing").location().line());
    }

    @Test
    void aControlCharacterInAModelNameIsAnErrorAtItsLineThatDoesNotRepeatIt() throws IOException {
        List<Finding> findings = validate(KEY + "model_list:\n  - model_name: \"evil\\n::warning::injected\"\n    litellm_params: {model: openai/a}\n"
                + "  - model_name: b\n    litellm_params: {model: \"openai/\\e[2Jb\"}\n");
        List<Finding> control = findings.stream().filter(f -> f.code().equals("control-character")).toList();
        assertEquals(2, control.size(), findings.toString());
        assertEquals(4, control.get(0).location().line());
        assertTrue(control.get(0).message().contains("U+000A"), control.get(0).message());
        assertTrue(control.get(1).message().contains("U+001B"), control.get(1).message());
        control.forEach(f -> assertFalse(f.message().contains("::warning::") || f.message().contains("\u001b"), f.message()));
    }

    @Test
    void masterKeyUnderLitellmSettingsIsAnErrorThatSaysTheFix() throws IOException {
        List<Finding> findings = validate("model_list:\n  - model_name: a\n    litellm_params: {model: openai/a}\n"
                + "litellm_settings:\n  master_key: sk-fake-1234\n");
        Finding f = only(findings, "master-key-misplaced");
        assertEquals(5, f.location().line());
        assertTrue(f.message().contains("general_settings.master_key"), f.message());
        only(findings, "no-master-key");
    }

    @Test
    void noMasterKeyOnAllInterfacesIsAnErrorUnlessLoopbackOrAllowed() throws IOException {
        String noKey = "model_list:\n  - model_name: a\n    litellm_params: {model: openai/a}\n";
        only(validate(noKey), "no-master-key");
        assertEquals(List.of(), validate(noKey, new ValidationOptions("127.0.0.1", false)));
        assertEquals(List.of(), validate(noKey, new ValidationOptions("0.0.0.0", true)));
        assertEquals(List.of(), validate(noKey + "general_settings:\n  master_key: os.environ/LITELLM_MASTER_KEY\n"));
    }

    @Test
    void fallbacksNamingAnUnknownModelAreErrorsWithSuggestions() throws IOException {
        List<Finding> findings = validate(KEY + "model_list:\n  - model_name: frontier-muffin\n    litellm_params: {model: openai/a}\n"
                + "  - model_name: scone\n    litellm_params: {model: openai/b}\n"
                + "router_settings:\n  fallbacks: [{frontier-muffin: [scone, sconee]}]\n"
                + "litellm_settings:\n  context_window_fallbacks: [{frontier-mufin: [scone]}]\n");
        List<Finding> unknown = findings.stream().filter(f -> f.code().equals("unknown-fallback")).toList();
        assertEquals(2, unknown.size(), findings.toString());
        assertEquals(9, unknown.get(0).location().line());
        assertTrue(unknown.get(0).message().contains("'sconee'") && unknown.get(0).message().contains("did you mean scone?"));
        assertTrue(unknown.get(1).message().contains("did you mean frontier-muffin?"), unknown.get(1).message());
    }

    @Test
    void rpmTpmAndMaxTokensMustBePositiveIntegers() throws IOException {
        List<Finding> findings = validate(KEY + "model_list:\n  - model_name: a\n    litellm_params:\n      model: openai/a\n"
                + "      rpm: 0\n      tpm: \"1000\"\n      max_tokens: 1.5\n  - model_name: b\n    litellm_params: {model: openai/b, rpm: 10, tpm: 100}\n");
        List<Integer> lines = findings.stream().filter(f -> f.code().equals("not-positive-integer")).map(f -> f.location().line()).toList();
        assertEquals(List.of(7, 8, 9), lines);
    }

    @Test
    void duplicateIdenticalDeploymentsAreAWarning() throws IOException {
        List<Finding> findings = validate(KEY + "model_list:\n  - model_name: a\n    litellm_params: {model: openai/a}\n"
                + "  - model_name: a\n    litellm_params: {model: openai/a}\n");
        Finding f = only(findings, "duplicate-deployment");
        assertEquals(Severity.WARNING, f.severity());
        assertEquals(6, f.location().line());
    }

    @Test
    void unknownTopLevelKeysSuchAsAnchorHoldersAreAccepted() throws IOException {
        assertEquals(List.of(), validate(KEY + "x-defaults: &d {api_base: https://a.example.invalid}\n"
                + "model_list:\n  - model_name: a\n    litellm_params: {<<: *d, model: openai/a}\n"));
    }

    @Test
    void allProblemsAreReportedTogether() throws IOException {
        List<Finding> findings = validate("model_list:\n  - model_name: a\n    litellm_params: {model: openai/a, rpm: -1}\n"
                + "  - litellm_params: {}\nlitellm_settings:\n  master_key: k\n  fallbacks: [{a: [zz]}]\n");
        assertEquals(new java.util.TreeSet<>(List.of("model-missing", "model-name-missing", "master-key-misplaced", "no-master-key",
                "not-positive-integer", "unknown-fallback")), new java.util.TreeSet<>(findings.stream().map(Finding::code).toList()));
        assertEquals(6, findings.size(), findings.toString());
    }
}
