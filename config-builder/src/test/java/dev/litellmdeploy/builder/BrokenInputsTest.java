package dev.litellmdeploy.builder;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Broken inputs: each must fail with a finding that names the file and line (where a line
 * exists), and no finding may contain a secret value, even when the broken line holds one.
 */
class BrokenInputsTest {
    private static final String SECRET = "sk-fake-SECRET-must-not-leak-9f8e7d";
    private static final List<String> SECRETS = List.of(SECRET, "sk-fake-master-aaaaaaaaaaaa", "sk-fake-muffin-bbbbbbbbbbbb");

    @TempDir
    Path dir;

    record Case(String name, UnaryOperator<Inputs> breakIt, String code, String file, int line) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                new Case("tab indentation in a secrets file", in -> in.secret("bad.yaml", "a:\n\tkey: " + SECRET + "\n"),
                        "secrets-invalid-yaml", "bad.yaml", 2),
                new Case("duplicate key in a secrets file", in -> in.secret("dup.yaml", "k: " + SECRET + "\nk: other\n"),
                        "secrets-invalid-yaml", "dup.yaml", 2),
                new Case("unterminated quote around a secret", in -> in.secret("q.yaml", "x: 1\ntoken: \"" + SECRET + "\n"),
                        "secrets-invalid-yaml", "q.yaml", 3),
                new Case("malformed JSON secrets", in -> in.secret("s.json", "{\n  \"a\": \"" + SECRET + "\"\n  \"b\": 2\n}\n"),
                        "secrets-invalid-yaml", "s.json", 3),
                new Case("a list where a mapping is expected", in -> in.secret("list.yaml", "- " + SECRET + "\n"),
                        "secrets-not-a-mapping", "list.yaml", 1),
                new Case("two files define one key differently", in -> in.secret("z-other.yaml", "keys:\n  muffin: " + SECRET + "\n"),
                        "secrets-conflict", "z-other.yaml", 0),
                new Case("Mustache syntax error", in -> in.model("20-syntax", "- model_name: x\n  litellm_params:\n    model: {{#open}}\n"),
                        "template-syntax", "models/20-syntax.yaml.mustache", 3),
                new Case("undefined variable", in -> in.model("20-undef", "- model_name: x\n  litellm_params: {model: openai/x, api_key: {{keys.nope}}}\n"),
                        "undefined-variable", "models/20-undef.yaml.mustache", 2),
                new Case("template renders invalid YAML", in -> in.model("20-indent", "- model_name: x\n  litellm_params:\n    model: a\n   bad: {{keys.muffin}}\n"),
                        "invalid-yaml", "models/20-indent.yaml.mustache", 4),
                new Case("master_key under litellm_settings", in -> in.template("config.yaml.mustache",
                        Inputs.SKELETON + "litellm_settings:\n  master_key: {{litellm.master_key}}\n"),
                        "master-key-misplaced", "config.yaml.mustache", 4),
                new Case("fallback to an unknown model", in -> in.template("config.yaml.mustache",
                        Inputs.SKELETON + "router_settings:\n  fallbacks: [{frontier-muffin: [ghost]}]\n"),
                        "unknown-fallback", "config.yaml.mustache", 4),
                new Case("rpm is not a number", in -> in.model("20-rpm", "- model_name: x\n  litellm_params:\n    model: openai/x\n    rpm: many\n"),
                        "not-positive-integer", "models/20-rpm.yaml.mustache", 4),
                new Case("unknown provider", in -> in.model("20-prov", "- model_name: x\n  provider: nobody\n  litellm_params: {model: x}\n"),
                        "unknown-provider", "models/20-prov.yaml.mustache", 2),
                new Case("entry without litellm_params.model", in -> in.model("20-nomodel", "- model_name: x\n  litellm_params:\n    api_key: {{keys.muffin}}\n"),
                        "model-missing", "models/20-nomodel.yaml.mustache", 2),
                new Case("secret with a YAML-breaking value embedded mid-scalar", in -> in.secret("h.yaml", "host: \"a: b " + SECRET + "\"\n")
                        .model("20-embed", "- model_name: x\n  litellm_params: {model: openai/x, api_base: https://{{host}}/v1}\n"),
                        "unsafe-embedded-value", "models/20-embed.yaml.mustache", 2),
                new Case("empty model list", in -> in.model("10-muffin", "[]\n"), "no-models", "config.yaml.mustache", 0))
                .map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void failsNamingFileAndLineWithoutLeakingASecret(Case c) throws Exception {
        Inputs in = c.breakIt().apply(Inputs.valid(dir));
        List<Finding> findings = in.failures();
        Finding f = findings.stream().filter(x -> x.code().equals(c.code())).findFirst()
                .orElseThrow(() -> new AssertionError("no " + c.code() + " in " + findings));
        assertTrue(f.location().file().equals(c.file()), () -> "file of " + f);
        if (c.line() > 0) {
            assertTrue(f.location().line() == c.line(), () -> "line of " + f);
        }
        String all = findings.toString();
        for (String secret : SECRETS) {
            assertFalse(all.contains(secret), () -> "a secret leaked into: " + all);
            assertFalse(all.contains(secret.substring(8)), () -> "part of a secret leaked into: " + all);
        }
        assertFalse(Files.exists(in.out), "nothing is written when the inputs are invalid");
    }
}
