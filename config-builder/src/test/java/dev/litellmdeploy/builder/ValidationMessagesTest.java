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

/** What validate says, and when: LiteLLM's own behaviour (proxy_server.py) decides error, warning or nothing. */
class ValidationMessagesTest {
    private static final String KEY = "general_settings:\n  master_key: sk-fake-1234\n";
    private static final String MODELS = "model_list:\n  - model_name: a\n    litellm_params: {model: openai/a}\n";
    private static final ValidationOptions LOOPBACK = new ValidationOptions("127.0.0.1", false);

    @TempDir
    Path dir;

    private List<Finding> validate(String yaml, ValidationOptions options) throws IOException {
        Path file = dir.resolve("config.yaml");
        Files.writeString(file, yaml);
        return new ConfigBuilder().validate(file, options);
    }

    private List<Finding> validate(String yaml) throws IOException {
        return validate(yaml, ValidationOptions.DEFAULTS);
    }

    private static List<String> codes(List<Finding> findings) {
        return findings.stream().map(Finding::code).toList();
    }

    @Test
    void aParseErrorKeepsYamlsTokenNamesButNeverTheTextOfTheLine() throws IOException {
        Finding f = validate(MODELS + "general_settings:\n  master_key: sk-fake-secret-zzzz\n bad: 'sk-fake-quoted-secret'\n").get(0);
        assertEquals("invalid-yaml", f.code());
        assertTrue(f.message().contains("<block end>") && f.message().contains("<block mapping start>"), f.message());
        assertFalse(f.message().contains("sk-fake"), f.message());
        Finding quoted = validate(MODELS + "general_settings:\n  master_key: \"sk-fake-unterminated\n").get(0);
        assertFalse(quoted.message().contains("sk-fake"), quoted.message());
    }

    @Test
    void aDuplicateKeyIsAWarningNamingBothLinesAndTheLastOneWins() throws IOException {
        List<Finding> findings = validate(MODELS + "general_settings:\n  master_key: sk-fake-first\n  master_key: 42\n");
        Finding dup = findings.stream().filter(f -> f.code().equals("duplicate-key")).findFirst().orElseThrow(() -> new AssertionError(findings));
        assertEquals(Severity.WARNING, dup.severity());
        assertEquals(6, dup.location().line());
        assertTrue(dup.message().contains("lines 5 and 6") && dup.message().contains("general_settings.master_key"), dup.message());
        assertFalse(dup.message().contains("sk-fake"), dup.message());
        assertTrue(codes(findings).contains("master-key-not-a-string"), findings.toString());
    }

    @Test
    void entriesWithDifferentModelInfoIdsAreNotExactDuplicates() throws IOException {
        assertEquals(List.of(), validate(KEY + "model_list:\n"
                + "  - model_name: a\n    litellm_params: {model: openai/a}\n    model_info: {id: one}\n"
                + "  - model_name: a\n    litellm_params: {model: openai/a}\n    model_info: {id: two}\n"));
    }

    @Test
    void aMasterKeyThatIsNotAStringIsAnError() throws IOException {
        List<Finding> findings = validate(MODELS + "general_settings:\n  master_key: 1234\n", LOOPBACK);
        assertEquals(List.of("master-key-not-a-string"), codes(findings));
        assertEquals(5, findings.get(0).location().line());
    }

    @Test
    void includeGivenAsAStringIsAnError() throws IOException {
        List<Finding> findings = validate(KEY + MODELS + "include: models.yaml\n");
        assertEquals(List.of("include-not-a-list"), codes(findings));
        assertEquals(6, findings.get(0).location().line());
        assertTrue(findings.get(0).message().contains("[models.yaml]") || findings.get(0).message().contains("- models.yaml"), findings.get(0).message());
    }

    @Test
    void environmentVariablesMasterKeyDoesNotCountWhenGeneralSettingsIsEmpty() throws IOException {
        String env = "environment_variables:\n  LITELLM_MASTER_KEY: sk-fake-from-env-section\n";
        assertEquals(List.of("no-master-key"), codes(validate(MODELS + env)));
        assertEquals(List.of("no-master-key"), codes(validate(MODELS + env + "general_settings: {}\n")));
        // with a non-empty general_settings, load_config reads the environment again after applying the section
        assertEquals(List.of(), validate(MODELS + env + "general_settings:\n  database_url: os.environ/DATABASE_URL\n"));
    }

    @Test
    void theMisplacedMasterKeyMessageMentionsTheEnvironmentVariable() throws IOException {
        Finding f = validate(MODELS + "litellm_settings:\n  master_key: sk-fake-1234\n").stream()
                .filter(x -> x.code().equals("master-key-misplaced")).findFirst().orElseThrow();
        assertTrue(f.message().contains("general_settings.master_key") && f.message().contains("environment variable LITELLM_MASTER_KEY"),
                f.message());
    }

    @Test
    void healthCheckIntervalUnderRouterSettingsIsAnErrorFromLiteLLM1_108_7AndAWarningBefore() throws IOException {
        String config = KEY + MODELS + "router_settings:\n  health_check_interval: 300\n";
        List<Finding> recent = validate(config, new ValidationOptions("0.0.0.0", false, "1.108.7"));
        assertEquals(List.of("router-setting-misplaced"), codes(recent));
        assertEquals(Severity.ERROR, recent.get(0).severity());
        assertEquals(7, recent.get(0).location().line());
        assertTrue(recent.get(0).message().contains("general_settings"), recent.get(0).message());
        List<Finding> old = validate(config, new ValidationOptions("0.0.0.0", false, "1.80.9"));
        assertEquals(List.of(Severity.WARNING), old.stream().map(Finding::severity).toList());
        assertEquals(List.of(Severity.WARNING), validate(config).stream().map(Finding::severity).toList());
        assertEquals(List.of(), validate(MODELS + "general_settings:\n  master_key: sk-fake-1234\n  health_check_interval: 300\n"));
    }
}
