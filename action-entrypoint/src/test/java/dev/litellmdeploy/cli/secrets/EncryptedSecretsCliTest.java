package dev.litellmdeploy.cli.secrets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.litellmdeploy.builder.secrets.AgeIdentities;
import dev.litellmdeploy.builder.secrets.DecryptionException;
import dev.litellmdeploy.cli.ActionCommand;
import dev.litellmdeploy.cli.LitellmDeployCommand;
import dev.litellmdeploy.testsupport.LeakGuard;
import dev.litellmdeploy.testsupport.TestKeys;
import picocli.CommandLine;

/**
 * The CLI and the action with a secrets repo the real sops and age encrypted: build, secrets check, the identities
 * read as sops reads them, and the action's age-key input masked before any output. Exit 3 and nothing written on a
 * refused file; no value in any output (the leak guard scans all of it).
 */
class EncryptedSecretsCliTest {
    static final String API_KEY = "sk-fake-sops-openai-0123456789abcdef";
    static final String MASTER_KEY = "sk-fake-master-from-age-0123456789";
    static final String UNUSED = "sk-fake-nobody-uses-this-0123456";
    static final String TEMPLATE = """
            model_list:
              - model_name: fake-gpt
                litellm_params:
                  model: openai/gpt-4o-mini
                  api_key: {{providers.openai.api_key}}
            general_settings:
              master_key: {{master_key}}
            """;

    @TempDir
    static Path work;
    static RealTools tools;
    static RealTools.KeyPair key;
    static Path templates;

    @BeforeAll
    static void repo() throws IOException {
        tools = new RealTools(work);
        key = tools.newKey("key");
        List.of(API_KEY, MASTER_KEY, UNUSED).forEach(LeakGuard::secret);
        templates = RealTools.write(work.resolve("templates/config.yaml.mustache"), TEMPLATE).getParent();
    }

    /** secrets/providers.sops.yaml (sops), secrets/litellm.yaml.age (age), secrets/plain.yaml. */
    static Path secretsRepo(String name) throws IOException {
        Path dir = Files.createDirectories(work.resolve(name));
        Path plain = RealTools.write(work.resolve(name + "-providers.yaml"),
                "providers:\n  openai:\n    api_key: " + API_KEY + "\n    unused_key: " + UNUSED + "\n");
        RealTools.write(dir.resolve("providers.sops.yaml"), tools.sopsEncrypt(plain, "yaml", key));
        tools.ageEncrypt(RealTools.write(work.resolve(name + "-litellm.yaml"), "master_key: " + MASTER_KEY + "\n"),
                dir.resolve("litellm.yaml.age"), key, true);
        RealTools.write(dir.resolve("plain.yaml"), "region: eu-west\n");
        return dir;
    }

    record Result(int exit, String out) {
    }

    static Result cli(String... args) {
        StringWriter out = new StringWriter();
        CommandLine cli = new CommandLine(new LitellmDeployCommand()).setOut(new PrintWriter(out, true)).setErr(new PrintWriter(out, true));
        int exit = cli.execute(args);
        return new Result(exit, LeakGuard.scan("litellm-deploy " + args[0], out.toString()));
    }

    @Test
    void buildOpensSopsAndAgeFilesInMemoryAndOnlyTheBundleHoldsTheValues() throws Exception {
        Path secrets = secretsRepo("build-ok");
        Path out = work.resolve("bundle-ok");
        Result r = cli("build", "--unlocked", "--templates", templates.toString(), "--secrets", secrets.toString(), "--out", out.toString(),
                "--age-identity", key.file().toString());
        assertEquals(0, r.exit(), r.out());
        String config = Files.readString(out.resolve("config.yaml"));
        assertTrue(config.contains(API_KEY) && config.contains(MASTER_KEY), "the bundle holds the decrypted values");
        String redacted = Files.readString(out.resolve("config.redacted.yaml"));
        assertFalse(redacted.contains(API_KEY) || redacted.contains(MASTER_KEY), redacted);
        assertTrue(r.out().contains("providers.sops.yaml:4: warning [unused-secret] 'providers.openai.unused_key' is not used by any template"), r.out());
        try (var files = Files.list(secrets)) {
            assertEquals(3, files.count(), "nothing decrypted was written beside the encrypted files");
        }
    }

    @Test
    void aTamperedSopsValueFailsTheBuildWithExitThreeNamingFileLineAndKeyAndWritesNothing() throws Exception {
        Path secrets = secretsRepo("build-tampered");
        Path file = secrets.resolve("providers.sops.yaml");
        List<String> lines = new ArrayList<>(Files.readAllLines(file));
        int at = 0;
        while (!lines.get(at).contains("api_key: ENC[")) {
            at++;
        }
        lines.set(at, lines.get(at).replace("iv:", "iv:A").replace("iv:AA", "iv:B"));
        Files.write(file, lines);
        Path out = work.resolve("bundle-tampered");
        Result r = cli("build", "--unlocked", "--templates", templates.toString(), "--secrets", secrets.toString(), "--out", out.toString(),
                "--age-identity", key.file().toString());
        assertEquals(3, r.exit(), r.out());
        assertTrue(r.out().contains("providers.sops.yaml:" + (at + 1) + ": error [secrets-sops-tampered]"), r.out());
        assertTrue(r.out().contains("'providers.openai.api_key'"), r.out());
        assertFalse(Files.exists(out), "nothing was written");
    }

    @Test
    void secretsCheckListsEachFileItsKindAndKeysAndTheUnusedOnesWithoutAValue() throws Exception {
        Path secrets = secretsRepo("check-ok");
        Result r = cli("secrets", "check", "--secrets", secrets.toString(), "--templates", templates.toString(),
                "--age-identity", key.file().toString());
        assertEquals(0, r.exit(), r.out());
        assertTrue(r.out().contains("litellm.yaml.age: age, decrypts; 1 key: master_key"), r.out());
        assertTrue(r.out().contains("providers.sops.yaml: sops, decrypts; 2 keys: providers.openai.api_key (line 3),"
                + " providers.openai.unused_key (line 4)"), r.out());
        assertTrue(r.out().contains("plain.yaml: plain; 1 key: region"), r.out());
        assertTrue(r.out().contains("3 files: 3 open, 0 cannot be opened; 2 keys no template uses"), r.out());

        Result none = cli("secrets", "check", "--secrets", secrets.toString(), "--json");
        assertEquals(3, none.exit(), "without a key the encrypted files do not open: " + none.out());
        assertTrue(none.out().contains("\"opened\" : false"), none.out());
    }

    @Test
    void identitiesAreReadAsSopsReadsThem() throws Exception {
        RealTools.KeyPair second = tools.newKey("second");
        Path config = Files.createDirectories(work.resolve("xdg/sops/age"));
        Files.copy(second.file(), config.resolve("keys.txt"));
        Map<String, String> env = Map.of("SOPS_AGE_KEY", key.identity() + " " + second.identity() + "\n# a comment\n",
                "SOPS_AGE_KEY_FILE", key.file().toString(), "XDG_CONFIG_HOME", work.resolve("xdg").toString());
        AgeIdentities ids = AgeIdentities.sopsEnvironment(env);
        assertEquals(4, ids.size());
        assertTrue(ids.describe().contains("$SOPS_AGE_KEY") && ids.describe().contains("keys.txt"), ids.describe());
        DecryptionException bad = org.junit.jupiter.api.Assertions.assertThrows(DecryptionException.class,
                () -> AgeIdentities.sopsEnvironment(Map.of("SOPS_AGE_KEY", "# fine\nAGE-SECRET-KEY-1NOTAKEY")));
        assertEquals("$SOPS_AGE_KEY line 2 is not a valid age identity (bad checksum or length); copy it again from the key file",
                bad.getMessage());
    }

    @Test
    void theActionMasksEveryLineOfAgeKeyAndTheDecryptedValuesBeforeAnyOtherOutput() throws Exception {
        String keysTxt = Files.readString(key.file());
        Result r = action("action-ok", keysTxt, secrets -> { });
        List<String> lines = r.out().lines().toList();
        int firstOther = 0;
        while (firstOther < lines.size() && lines.get(firstOther).startsWith("::add-mask::")) {
            firstOther++;
        }
        List<String> masks = lines.subList(0, firstOther);
        for (String secret : List.of(key.identity(), API_KEY, UNUSED, MASTER_KEY)) {
            assertTrue(masks.contains("::add-mask::" + secret), "masked before any other output: " + secret.substring(0, 12) + "...");
        }
        for (String keyLine : keysTxt.split("\n")) {
            assertTrue(keyLine.isBlank() || masks.contains("::add-mask::" + keyLine.strip()), "every line of age-key is masked");
        }
        assertTrue(r.out().contains("Built bundle"), r.out());
    }

    @Test
    void theActionAnnotatesATamperedSopsValueAtItsLineAndExitsThree() throws Exception {
        Result r = action("action-tampered", Files.readString(key.file()), secrets -> {
            Path file = secrets.resolve("providers.sops.yaml");
            Files.writeString(file, Files.readString(file).replaceFirst("tag:.", "tag:Q"));
        });
        assertEquals(3, r.exit(), r.out());
        assertTrue(r.out().contains("::error file=secrets/providers.sops.yaml,line=3::[secrets-sops-tampered]"), r.out());
    }

    interface Edit {
        void apply(Path secrets) throws IOException;
    }

    /** The action as the runner starts it, with no server to reach (it fails at connecting, after the build). */
    static Result action(String name, String ageKey, Edit edit) throws IOException {
        Path workspace = Files.createDirectories(work.resolve(name + "/workspace"));
        Path secrets = secretsRepo(name + "/workspace/secrets");
        edit.apply(secrets);
        Files.createDirectories(workspace.resolve("templates"));
        Files.copy(templates.resolve("config.yaml.mustache"), workspace.resolve("templates/config.yaml.mustache"));
        Path commands = Files.createDirectories(work.resolve(name + "/file_commands"));
        Map<String, String> env = new LinkedHashMap<>();
        env.put("HOME", work.resolve(name + "/home").toString());
        env.put("GITHUB_REPOSITORY", "octo/repo");
        env.put("GITHUB_SHA", "0123456789abcdef0123456789abcdef01234567");
        env.put("GITHUB_RUN_ID", "7");
        env.put("GITHUB_SERVER_URL", "https://github.example.invalid");
        env.put("GITHUB_API_URL", "http://127.0.0.1:1");
        env.put("GITHUB_ACTOR", "octocat");
        env.put("GITHUB_WORKSPACE", workspace.toString());
        env.put("GITHUB_OUTPUT", commands.resolve("out").toString());
        env.put("GITHUB_STEP_SUMMARY", commands.resolve("summary").toString());
        env.put("INPUT_HOST", "127.0.0.1:1");
        env.put("INPUT_SSH-KEY", TestKeys.ed25519().privateKeyOpenSsh()); // made now: no key is kept in the repository
        env.put("INPUT_ACCEPT-NEW-HOST-KEY", "true");
        env.put("INPUT_CONNECT-TIMEOUT", "2s");
        env.put("INPUT_TEMPLATES", "templates");
        env.put("INPUT_SECRETS", "secrets");
        env.put("INPUT_UNLOCKED", "true");
        env.put("INPUT_AGE-KEY", ageKey);
        ActionCommand command = new ActionCommand();
        command.setEnvironmentForTests(env, Duration.ofMillis(10));
        StringWriter out = new StringWriter();
        int exit = new CommandLine(command).setOut(new PrintWriter(out, true)).setErr(new PrintWriter(out, true)).execute();
        return new Result(exit, LeakGuard.scan("action log of " + name, out.toString()));
    }
}
