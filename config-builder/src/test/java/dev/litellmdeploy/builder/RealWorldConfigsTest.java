package dev.litellmdeploy.builder;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Configs in the shapes LiteLLM's docs show (Azure, Bedrock, Ollama, OpenRouter, wildcard, anchors) pass validation. */
class RealWorldConfigsTest {

    @ParameterizedTest
    @ValueSource(strings = {"azure-bedrock-ollama.yaml", "minimal-openai.yaml"})
    void realWorldConfigsValidateWithoutFindings(String name) throws URISyntaxException {
        Path file = Path.of(getClass().getResource("/real-world/" + name).toURI());
        List<Finding> findings = new ConfigBuilder().validate(file, ValidationOptions.DEFAULTS);
        assertEquals(List.of(), findings);
    }
}
