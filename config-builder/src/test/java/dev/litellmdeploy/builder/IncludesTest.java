package dev.litellmdeploy.builder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/** include: as LiteLLM resolves it, per the version the bundle pins (1.80.9: _process_includes; 1.108.7: config_includes.py). */
class IncludesTest {
    static final String OLD = "1.80.9";
    static final String NEW = "1.108.7";
    static final String KEY = "general_settings: {master_key: sk-fake-root}\n";
    static final String MODELS = "model_list:\n  - model_name: a\n    litellm_params: {model: openai/a}\n";

    @TempDir
    Path dir;

    private Path write(String name, String text) throws Exception {
        Path p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
        return p;
    }

    private List<Finding> validate(String version) {
        return new ConfigBuilder().validate(dir.resolve("config.yaml"), new ValidationOptions("0.0.0.0", false, version));
    }

    private static List<String> errors(List<Finding> findings) {
        return findings.stream().filter(Finding::isError).map(Finding::toString).toList();
    }

    private static List<String> codes(List<Finding> findings) {
        return findings.stream().map(Finding::code).toList();
    }

    @Test
    void modelsFromAnIncludedFileSatisfyTheModelList() throws Exception {
        write("config.yaml", "include: [models.yaml]\n" + KEY);
        write("models.yaml", "model_list:\n  - model_name: a\n    litellm_params: {model: openai/a}\n");
        assertEquals(List.of(), errors(validate(OLD)));
        assertEquals(List.of(), errors(validate(NEW)));
    }

    @Test
    void aMissingIncludeIsReportedAsSuchNotAsAMissingModelList() throws Exception {
        write("config.yaml", "include:\n  - models.yaml\n" + KEY);
        List<Finding> findings = validate(NEW);
        assertEquals(List.of("config.yaml:2: error [include-not-found] include file not found: models.yaml (LiteLLM reads it from the"
                + " config's folder and fails at start without it: FileNotFoundError)"), errors(findings));
    }

    @Test
    void findingsInAnIncludedFileNameThatFileAndLine() throws Exception {
        write("config.yaml", "include: [models.yaml]\n" + KEY);
        write("models.yaml", "# models\nmodel_list:\n  - model_name: a\n    litellm_params: {model: openai/a}\n  - model_name: b\n"
                + "    litellm_params: {rpm: 5}\n");
        assertEquals(List.of("models.yaml:6: error [model-missing] model entry 'b' has no litellm_params.model (the provider/model"
                + " LiteLLM should call, e.g. openai/gpt-4o)"), errors(validate(NEW)));
    }

    @Test
    void anIncludedFileThatIsNotValidYamlNamesItself() throws Exception {
        write("config.yaml", "include: [models.yaml]\n" + KEY);
        write("models.yaml", "model_list: [\n");
        List<Finding> findings = validate(NEW);
        assertEquals(List.of("invalid-yaml"), codes(findings));
        assertEquals("models.yaml", findings.get(0).location().file());
    }

    /**
     * Both versions: list + list is concatenated, any other value replaced (the root's general_settings is gone, master key and
     * all: beyond loopback the project's no-master-key with 1.80.9; 1.108.7 itself refuses to start without one).
     */
    @Test
    void listsAreExtendedAndOtherValuesReplacedInBothVersions() throws Exception {
        write("config.yaml", "include: [more.yaml]\nmodel_list:\n  - model_name: a\n    litellm_params: {model: openai/a}\n" + KEY);
        write("more.yaml", "model_list:\n  - model_name: b\n    litellm_params: {model: openai/b}\ngeneral_settings: {store_model_in_db: false}\n");
        for (String version : List.of(OLD, NEW)) {
            List<Finding> findings = validate(version);
            assertEquals(List.of(version.equals(OLD) ? "no-master-key" : "master-key-required"),
                    codes(findings).stream().filter(c -> !c.isEmpty()).toList(), version + ": " + findings);
        }
    }

    /** 1.80.9: config[key].extend(value) on a mapping raises AttributeError; 1.108.7 replaces it. */
    @Test
    void aListOntoANonListFailsOnlyBefore1_108_7() throws Exception {
        write("config.yaml", "include: [more.yaml]\nmodel_list:\n  - model_name: a\n    litellm_params: {model: openai/a}\n" + KEY
                + "guardrails: {}\n");
        write("more.yaml", "guardrails: []\n");
        assertEquals(List.of("include-list-onto-non-list"), codes(validate(OLD)).stream().filter(c -> c.startsWith("include")).toList());
        assertEquals(List.of(), errors(validate(NEW)));
    }

    /** 1.80.9 keeps no memory of what it read: a file twice is merged twice; 1.108.7 reads each once. */
    @Test
    void aFileIncludedTwiceIsMergedTwiceOnlyBefore1_108_7() throws Exception {
        write("config.yaml", "include: [models.yaml, models.yaml]\n" + KEY);
        write("models.yaml", "model_list:\n  - model_name: a\n    litellm_params: {model: openai/a}\n");
        List<String> old = codes(validate(OLD));
        assertTrue(old.contains("include-twice") && old.contains("duplicate-deployment"), old.toString());
        assertEquals(List.of(), codes(validate(NEW)));
    }

    /** A nested include: followed by both; a cycle never ends in 1.80.9 (the list being read keeps growing) and is skipped by 1.108.7. */
    @Test
    void nestedIncludesAreFollowedAndACycleIsAnErrorOnlyBefore1_108_7() throws Exception {
        write("config.yaml", "include: [a.yaml]\n" + KEY);
        write("a.yaml", "include: [b.yaml]\nmodel_list:\n  - model_name: a\n    litellm_params: {model: openai/a}\n");
        write("b.yaml", "include: [a.yaml]\nmodel_list:\n  - model_name: b\n    litellm_params: {model: openai/b}\n"
                + "router_settings: {fallbacks: [{a: [b]}]}\n");
        assertEquals(List.of(), errors(validate(NEW)));
        assertEquals(List.of("include-cycle"), codes(validate(OLD)).stream().filter(c -> c.startsWith("include")).toList());
    }

    @Test
    void aNestedIncludeThatIsNotAListFailsOnly1_108_7() throws Exception {
        write("config.yaml", "include: [a.yaml]\n" + KEY);
        write("a.yaml", "include: b.yaml\nmodel_list:\n  - model_name: a\n    litellm_params: {model: openai/a}\n");
        assertEquals(List.of("a.yaml:1: error [include-not-a-list] include must be a list of file names; LiteLLM refuses to start"
                + " otherwise (ValueError)"), errors(validate(NEW)));
        assertEquals(List.of(), errors(validate(OLD)));
    }

    @Test
    void includeNamesOutsideTheConfigsFolderAreRefusedNamingTheFile() throws Exception {
        write("config.yaml", "include: [../x.yaml, /etc/x.yaml, sub/m.yaml, config.redacted.yaml, models.json, link.yaml]\n" + KEY);
        write("sub/m.yaml", "model_list: []\n");
        write("models.json", "{}\n");
        Files.createSymbolicLink(dir.resolve("link.yaml"), write("real.yaml", "model_list: []\n"));
        List<String> errors = errors(validate(NEW));
        assertEquals(6, errors.size(), errors.toString());
        assertTrue(errors.get(0).contains("include ../x.yaml leaves the config's folder"), errors.get(0));
        assertTrue(errors.get(1).contains("include /etc/x.yaml is an absolute path"), errors.get(1));
        assertTrue(errors.get(2).contains("include sub/m.yaml is in a subdirectory"), errors.get(2));
        assertTrue(errors.get(3).contains("include config.redacted.yaml is a name of the bundle's own"), errors.get(3));
        assertTrue(errors.get(4).contains("include models.json is not a plain file name ending in .yaml"), errors.get(4));
        assertTrue(errors.get(5).contains("include link.yaml is a symbolic link"), errors.get(5));
    }

    @Test
    void aConfigThatIncludesItselfIsRefused() throws Exception {
        Files.writeString(dir.resolve("litellm.yaml"), "include: [litellm.yaml]\n" + KEY + IncludesTest.MODELS);
        List<Finding> findings = new ConfigBuilder().validate(dir.resolve("litellm.yaml"), new ValidationOptions("0.0.0.0", false, NEW));
        assertEquals(List.of("litellm.yaml:1: error [include-refused] include litellm.yaml is the config itself (the bundle names it"
                + " config.yaml, so LiteLLM would read it again as another file)"), errors(findings));
    }

    @Test
    void theBundleCarriesTheIncludedFilesAsTheyAreAndConfigYamlKeepsItsInclude() throws Exception {
        write("config.yaml", "include: [models.yaml]\n" + KEY);
        String models = "# the models\nmodel_list:\n  - model_name: a\n    litellm_params: {model: openai/a, api_key: sk-fake-inc}\n";
        write("models.yaml", models);
        Path out = dir.resolve("out");
        BuildResult r = new ConfigBuilder().build(BuildRequest.fromConfig(dir.resolve("config.yaml"), out, BundleOptions.defaults()));
        assertEquals(models, Files.readString(out.resolve("models.yaml")));
        assertEquals(BundleWriter.sha256(Files.readAllBytes(out.resolve("models.yaml"))), r.manifest().files().get("models.yaml"));
        assertEquals(List.of("a"), r.manifest().models());
        Map<?, ?> config = new Yaml().load(Files.readString(out.resolve("config.yaml")));
        assertEquals(List.of("models.yaml"), config.get("include"));
        assertFalse(config.containsKey("model_list"));
        String redacted = Files.readString(out.resolve("config.redacted.yaml"));
        assertTrue(redacted.contains("models.yaml") && redacted.contains("openai/a") && !redacted.contains("sk-fake-inc"), redacted);
        // a rebuild into the same folder replaces the earlier bundle, extra files and all
        new ConfigBuilder().build(BuildRequest.fromConfig(dir.resolve("config.yaml"), out, BundleOptions.defaults()));
    }

    /** Templates mode: a rendered skeleton's include: names files of the templates directory, bundled as they are. */
    @Test
    void aRenderedSkeletonsIncludeIsResolvedInTheTemplatesDirectory() throws Exception {
        write("templates/config.yaml.mustache", "include: [models.yaml]\n" + KEY);
        write("templates/models.yaml", "model_list:\n  - model_name: a\n    litellm_params: {model: openai/a}\n");
        BuildResult r = new ConfigBuilder().build(BuildRequest.fromTemplates(dir.resolve("templates"), null, dir.resolve("out"),
                BundleOptions.defaults()));
        assertEquals(List.of("a"), r.manifest().models());
        assertTrue(Files.exists(dir.resolve("out/models.yaml")));
    }

    @Test
    void envFileModeRefusesIncludesItCannotRewrite() throws Exception {
        write("config.yaml", "include: [models.yaml]\n" + KEY);
        write("models.yaml", "model_list:\n  - model_name: a\n    litellm_params: {model: openai/a}\n");
        ConfigValidationException e = org.junit.jupiter.api.Assertions.assertThrows(ConfigValidationException.class, () -> new ConfigBuilder()
                .build(BuildRequest.fromConfig(dir.resolve("config.yaml"), dir.resolve("out"), BundleOptions.defaults().withEnvFileMode(true))));
        assertEquals(List.of("env-file-with-extra-files"), codes(e.findings()));
    }
}
