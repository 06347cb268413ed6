package dev.litellmdeploy.builder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

class RenderingTest {
    @TempDir
    Path dir;

    @SuppressWarnings("unchecked")
    private static Map<String, Object> parse(String yaml) {
        return new Yaml().load(yaml);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> params(Map<String, Object> config, int i) {
        return (Map<String, Object>) ((Map<String, Object>) ((List<Object>) config.get("model_list")).get(i)).get("litellm_params");
    }

    @Test
    void hostileSecretReachesTheConfigExactly() throws Exception {
        String hostile = "sk-\"quote\" 'single' \\back: colon # hash\n{{braces}} *star &amp !bang ünï 🚀";
        Inputs in = Inputs.valid(dir).secret("main.yaml", "litellm:\n  master_key: sk-fake-master-aaaaaaaaaaaa\nkeys:\n  muffin: "
                + YamlScalars.quote(hostile) + "\n");
        in.build();
        assertEquals(hostile, params(parse(in.bundleFile("config.yaml")), 0).get("api_key"));
    }

    @Test
    void yesNoNullAndHexStringsStayStringsWhileNumbersAndBooleansStayTyped() throws Exception {
        Inputs in = Inputs.valid(dir)
                .secret("types.yaml", "t:\n  word: \"yes\"\n  nul: \"null\"\n  hex: \"0x1F\"\n  rpm: 60\n  flag: true\n")
                .model("20-types", "- model_name: typed\n  litellm_params:\n    model: openai/x\n    a: {{t.word}}\n    b: {{t.nul}}\n"
                        + "    c: {{t.hex}}\n    rpm: {{t.rpm}}\n    stream: {{t.flag}}\n");
        in.build();
        Map<String, Object> p = params(parse(in.bundleFile("config.yaml")), 1);
        assertEquals("yes", p.get("a"));
        assertEquals("null", p.get("b"));
        assertEquals("0x1F", p.get("c"));
        assertEquals(60, p.get("rpm"));
        assertEquals(true, p.get("stream"));
    }

    @Test
    void tripleMustacheIsRaw() throws Exception {
        Inputs in = Inputs.valid(dir).secret("raw.yaml", "raw:\n  params: \"{rpm: 5, tpm: 10}\"\n")
                .model("20-raw", "- model_name: rawish\n  litellm_params: {model: openai/y, extra: {{{raw.params}}}}\n");
        in.build();
        assertEquals(Map.of("rpm", 5, "tpm", 10), params(parse(in.bundleFile("config.yaml")), 1).get("extra"));
    }

    @Test
    void aTagInsideALargerScalarIsPastedWhenSafeAndRefusedWhenNot() throws Exception {
        Inputs ok = Inputs.valid(dir.resolve("ok")).secret("host.yaml", "host: api.example.invalid\n")
                .model("20-url", "- model_name: url\n  litellm_params: {model: openai/u, api_base: https://{{host}}/v1}\n");
        ok.build();
        assertEquals("https://api.example.invalid/v1", params(parse(ok.bundleFile("config.yaml")), 1).get("api_base"));

        Inputs bad = Inputs.valid(dir.resolve("bad")).secret("host.yaml", "host: \"evil: x # y\"\n")
                .model("20-url", "# line 1\n- model_name: url\n  litellm_params: {model: openai/u, api_base: https://{{host}}/v1}\n");
        Finding f = bad.failures().get(0);
        assertEquals("unsafe-embedded-value", f.code());
        assertEquals(Location.of("models/20-url.yaml.mustache", 3), f.location());
    }

    @Test
    void undefinedVariableNamesTemplateLineAndSuggestsNearNamesWithoutValues() throws Exception {
        Inputs in = Inputs.valid(dir).model("20-typo", "- model_name: typo\n  litellm_params:\n    model: openai/t\n"
                + "    api_key: {{keys.mufin}}\n");
        List<Finding> findings = in.failures();
        assertEquals(1, findings.size(), findings.toString());
        Finding f = findings.get(0);
        assertEquals("undefined-variable", f.code());
        assertEquals(Location.of("models/20-typo.yaml.mustache", 4), f.location());
        assertTrue(f.message().contains("did you mean keys.muffin?"), f.message());
        assertFalse(f.toString().contains("sk-fake"), f.toString());
    }

    @Test
    void everyUndefinedVariableIsReportedNotJustTheFirst() throws Exception {
        Inputs in = Inputs.valid(dir).model("20-many", "- model_name: m\n  litellm_params: {model: openai/m, a: {{nope1}}}\n"
                + "- model_name: n\n  litellm_params: {model: openai/n, a: {{nope2}}}\n");
        List<Finding> findings = in.failures();
        assertEquals(List.of(2, 4), findings.stream().map(f -> f.location().line()).toList());
    }

    @Test
    void aSecretNoTemplateUsesIsAWarning() throws Exception {
        Inputs in = Inputs.valid(dir).secret("extra.yaml", "unused:\n  token: sk-fake-unused-cccccccccccc\n");
        BuildResult result = in.build();
        Finding w = result.warnings().stream().filter(f -> f.code().equals("unused-secret")).findFirst().orElseThrow();
        assertEquals("extra.yaml", w.location().file());
        assertTrue(w.message().contains("unused.token"), w.message());
        assertFalse(w.message().contains("sk-fake"), w.message());
    }

    @Test
    void anchorsAliasesAndMergeKeysWork() throws Exception {
        Inputs in = Inputs.valid(dir).model("20-anchor", "- &base\n  model_name: anchored\n  litellm_params: &p {model: openai/a, rpm: 10}\n"
                + "- <<: *base\n  litellm_params:\n    <<: *p\n    rpm: 20\n");
        in.build();
        Map<String, Object> config = parse(in.bundleFile("config.yaml"));
        assertEquals(Map.of("model", "openai/a", "rpm", 10), params(config, 1));
        assertEquals(Map.of("model", "openai/a", "rpm", 20), params(config, 2));
        assertFalse(in.bundleFile("config.yaml").contains("*"), "aliases are expanded in the output");
    }

    @Test
    void providerDefaultsAreInheritedAndTheModelsOwnValuesWin() throws Exception {
        Inputs in = Inputs.valid(dir).template("config.yaml.mustache", Inputs.SKELETON
                + "providers:\n  muffin:\n    prefix: openai/\n    litellm_params: {api_base: https://m.example.invalid, api_key: {{keys.muffin}}, timeout: 60}\n"
                + "    model_info: {mode: chat}\n")
                .model("10-muffin", "- model_name: a\n  provider: muffin\n  litellm_params: {model: big, timeout: 5}\n"
                        + "- model_name: a\n  provider: muffin\n  litellm_params: {model: openai/big-2}\n");
        in.build();
        Map<String, Object> config = parse(in.bundleFile("config.yaml"));
        Map<String, Object> first = params(config, 0);
        assertEquals("openai/big", first.get("model"));
        assertEquals(5, first.get("timeout"));
        assertEquals("sk-fake-muffin-bbbbbbbbbbbb", first.get("api_key"));
        assertEquals("openai/big-2", params(config, 1).get("model"));
        assertFalse(config.containsKey("providers"));
        assertFalse(in.bundleFile("config.yaml").contains("provider:"));
    }

    @Test
    void modelFilesAreTakenInNameOrderAndSettingsDeepMerge() throws Exception {
        Inputs in = Inputs.valid(dir)
                .model("30-c", "model_list:\n  - model_name: c\n    litellm_params: {model: openai/c}\nrouter_settings:\n  num_retries: 3\n")
                .model("05-a", "- model_name: a\n  litellm_params: {model: openai/a}\n")
                .template("config.yaml.mustache", Inputs.SKELETON + "router_settings:\n  routing_strategy: simple-shuffle\n");
        BuildResult result = in.build();
        assertEquals(List.of("a", "frontier-muffin", "c"), result.manifest().models());
        assertEquals(Map.of("routing_strategy", "simple-shuffle", "num_retries", 3),
                parse(in.bundleFile("config.yaml")).get("router_settings"));
    }
}
