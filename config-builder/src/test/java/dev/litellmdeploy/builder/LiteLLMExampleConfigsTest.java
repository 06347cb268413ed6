package dev.litellmdeploy.builder;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The example configs LiteLLM ships in its wheel (litellm/proxy/example_config_yaml/*.yaml and
 * litellm/proxy/proxy_config.yaml), copied as is from 1.80.9 and, where they differ or are new,
 * 1.108.7, with the Python modules they load that the wheel ships beside them (custom_guardrail.py,
 * custom_auth_basic.py, pipeline_test_guardrails.py), and configs from LiteLLM's documentation pages (litellm-examples/docs, each naming its page):
 * validate raises no error on any of them. Checked on loopback: a missing master key is
 * this project's policy for public listeners, not a LiteLLM start-up failure. One example LiteLLM
 * itself cannot start (langfuse_config.yaml: an entry without litellm_params, a KeyError in
 * router.py Router.set_model_list {@code model.pop("litellm_params")}) must be refused.
 */
class LiteLLMExampleConfigsTest {
    private static final ValidationOptions LOOPBACK = new ValidationOptions("127.0.0.1", false);
    private static final java.util.Set<String> REFUSED_BY_LITELLM = java.util.Set.of("1.80.9/langfuse_config.yaml");

    static Stream<Path> examples() throws URISyntaxException, IOException {
        Path root = Path.of(LiteLLMExampleConfigsTest.class.getResource("/litellm-examples").toURI());
        List<Path> files;
        try (Stream<Path> walk = Files.walk(root)) {
            files = walk.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
        return files.stream();
    }

    @ParameterizedTest
    @MethodSource("examples")
    void liteLLMsOwnExampleConfigsRaiseNoError(Path file) {
        String name = file.getParent().getFileName() + "/" + file.getFileName();
        List<String> errors = new ConfigBuilder().validate(file, LOOPBACK).stream().filter(Finding::isError).map(Finding::code).toList();
        if (REFUSED_BY_LITELLM.contains(name)) {
            assertEquals(List.of("model-missing"), errors, name);
        } else {
            assertEquals(List.of(), errors, name);
        }
    }
}
