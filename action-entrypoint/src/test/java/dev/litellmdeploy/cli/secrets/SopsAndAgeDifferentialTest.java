package dev.litellmdeploy.cli.secrets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.litellmdeploy.builder.ConfigValidationException;
import dev.litellmdeploy.builder.Finding;
import dev.litellmdeploy.builder.SecretContext;
import dev.litellmdeploy.builder.SecretsLoader;
import dev.litellmdeploy.builder.secrets.AgeDecryption;
import dev.litellmdeploy.builder.secrets.AgeIdentities;
import dev.litellmdeploy.builder.secrets.SecretSource;
import dev.litellmdeploy.testsupport.LeakGuard;
import dev.litellmdeploy.testsupport.RealSecretTools;

/**
 * Files encrypted by the real sops (built from its Go module) and the real age (Debian's package) with fresh fake keys
 * open here to exactly what {@code sops decrypt} / {@code age -d} give; files both tools refuse (tampered value, moved
 * value, MAC, wrong key, PGP only, damaged age payload) fail here with a message naming the file and key path, and no
 * value in it.
 */
class SopsAndAgeDifferentialTest {
    static final ObjectMapper JSON = new ObjectMapper();
    /** Nested maps, lists, numbers, booleans, multi-line, unicode, empty and null values, an _unencrypted key. */
    static final String PLAIN = """
            providers:
              openai:
                api_key: sk-fake-openai-0123456789abcdef
                base_url: https://api.example.test/v1
              anthropic:
                api_key: "sk-fake-ant-0123456789: with # and 'quotes'"
            numbers:
              port: 4000
              ratio: 0.75
              big: 9007199254740993
              negative: -12
              exp: 1.5e3
            flags:
              enabled: true
              disabled: false
              yes_string: "yes"
            list:
              - sk-fake-list-item-0123456
              - 42
              - nested: sk-fake-nested-in-list-0123
                deeper: [alpha, beta]
            multi: |
              line one sk-fake-multi-0123456
              line two: "quoted" # not a comment
            unicode: "ключ-🔑-clé-sk-fake-unicode"
            empty: ""
            nothing: null
            note_unencrypted: visible-plaintext-note
            """;
    static final List<String> VALUES = List.of("sk-fake-openai-0123456789abcdef", "sk-fake-ant-0123456789", "sk-fake-list-item-0123456",
            "sk-fake-nested-in-list-0123", "sk-fake-multi-0123456", "ключ-🔑-clé-sk-fake-unicode");

    @TempDir
    static Path work;
    static RealTools tools;
    static RealTools.KeyPair key;
    static RealTools.KeyPair otherKey;

    @BeforeAll
    static void keys() throws IOException {
        tools = new RealTools(work);
        key = tools.newKey("key");
        otherKey = tools.newKey("other-key");
        VALUES.forEach(LeakGuard::secret);
    }

    @Test
    void aSopsYamlFileOpensToExactlyWhatSopsDecryptsItTo() throws Exception {
        assertSameAsSops("yaml", PLAIN);
    }

    @Test
    void aSopsJsonFileOpensToExactlyWhatSopsDecryptsItTo() throws Exception {
        assertSameAsSops("json", JSON.writeValueAsString(new Yaml().load(PLAIN)));
    }

    @Test
    void anEncryptedRegexAndAMacOverEncryptedValuesOnlyVerifyAsSopsMakesThem() throws Exception {
        assertSameAsSops("yaml", PLAIN, "--encrypted-regex", "^(api_key|multi|unicode|list)$");
        assertSameAsSops("yaml", PLAIN, "rule:mac_only_encrypted: true");
        assertSameAsSops("yaml", PLAIN, "rule:mac_only_encrypted: true", "rule:unencrypted_regex: ^(numbers|flags)$");
    }

    @Test
    void anAgeFileBinaryOrArmoredOpensToExactlyWhatAgeDecryptsItTo() throws Exception {
        Path plain = RealTools.write(work.resolve("plain-age.yaml"), PLAIN);
        for (boolean armor : List.of(false, true)) {
            Path dir = Files.createDirectories(work.resolve("age-" + armor));
            Path file = dir.resolve("providers.yaml.age");
            tools.ageEncrypt(plain, file, key, armor);
            byte[] expected = RealTools.check(tools.ageDecrypt(file, key), "age -d").stdout();
            byte[] ours = AgeDecryption.decrypt(Files.readAllBytes(file), AgeIdentities.read(key.file(), "key"), "providers.yaml.age");
            assertArrayEquals(expected, ours, "armor " + armor);
            SecretContext context = new SecretsLoader(AgeIdentities.read(key.file(), "key")).load(dir);
            assertEquals(JSON.valueToTree(new Yaml().load(new String(expected, StandardCharsets.UTF_8))), JSON.valueToTree(context.values()));
            assertEquals(SecretSource.Protection.AGE, context.sources().get("providers.openai.api_key").protection());
        }
    }

    @Test
    void aTamperedValueIsRefusedNamingTheFileKeyPathAndLineAsSopsRefusesIt() throws Exception {
        Path dir = sopsDir("tampered", "yaml", PLAIN);
        Path file = dir.resolve("secrets.sops.yaml");
        List<String> lines = new ArrayList<>(Files.readAllLines(file));
        int at = indexOf(lines, "api_key: ENC[AES256_GCM,data:");
        String line = lines.get(at);
        int data = line.indexOf("data:") + 5;
        lines.set(at, line.substring(0, data) + (line.charAt(data) == 'A' ? 'B' : 'A') + line.substring(data + 1));
        Files.write(file, lines);
        assertNotEquals(0, tools.sopsDecrypt(file, "yaml", key).exitCode(), "sops itself refuses it");
        Finding f = refused(dir, key, "secrets-sops-tampered");
        assertEquals("secrets.sops.yaml", f.location().file());
        assertEquals(at + 1, f.location().line());
        assertTrue(f.message().contains("'providers.openai.api_key'"), f.message());
    }

    @Test
    void aValueMovedToAnotherKeyDoesNotAuthenticateThere() throws Exception {
        Path dir = sopsDir("moved", "yaml", PLAIN);
        Path file = dir.resolve("secrets.sops.yaml");
        List<String> lines = new ArrayList<>(Files.readAllLines(file));
        int openai = indexOf(lines, "api_key: ENC[");
        int anthropic = indexOf(lines.subList(openai + 1, lines.size()), "api_key: ENC[") + openai + 1;
        String a = lines.get(openai);
        lines.set(openai, lines.get(anthropic));
        lines.set(anthropic, a);
        Files.write(file, lines);
        assertNotEquals(0, tools.sopsDecrypt(file, "yaml", key).exitCode(), "sops itself refuses it");
        assertTrue(refused(dir, key, "secrets-sops-tampered").message().contains("providers.openai.api_key"));
    }

    @Test
    void aChangedPlainValueOrARemovedKeyIsAMacMismatchAsInSops() throws Exception {
        Path dir = sopsDir("mac", "yaml", PLAIN);
        Path file = dir.resolve("secrets.sops.yaml");
        String text = Files.readString(file);
        Files.writeString(file, text.replace("note_unencrypted: visible-plaintext-note", "note_unencrypted: changed-by-hand"));
        assertNotEquals(0, tools.sopsDecrypt(file, "yaml", key).exitCode(), "sops itself refuses it");
        assertTrue(refused(dir, key, "secrets-sops-mac-mismatch").message().contains("MAC does not match"));

        List<String> lines = new ArrayList<>(Files.readAllLines(file));
        Files.writeString(file, text);
        lines = new ArrayList<>(Files.readAllLines(file));
        lines.remove(indexOf(lines, "port: ENC["));
        Files.write(file, lines);
        assertNotEquals(0, tools.sopsDecrypt(file, "yaml", key).exitCode(), "sops itself refuses it");
        refused(dir, key, "secrets-sops-mac-mismatch");
    }

    @Test
    void theWrongKeyOrNoKeyIsRefusedNamingTheRecipientNeverTheKey() throws Exception {
        Path dir = sopsDir("wrong-key", "yaml", PLAIN);
        assertNotEquals(0, tools.sopsDecrypt(dir.resolve("secrets.sops.yaml"), "yaml", otherKey).exitCode(), "sops itself refuses it");
        Finding wrong = refused(dir, otherKey, "secrets-age-wrong-key");
        assertTrue(wrong.message().contains(key.recipient()), wrong.message());
        assertFalse(wrong.message().contains(otherKey.identity()));
        ConfigValidationException none = assertThrows(ConfigValidationException.class, () -> new SecretsLoader().load(dir));
        assertEquals("secrets-age-no-identity", none.findings().get(0).code());
        assertTrue(none.findings().get(0).message().contains("--age-identity"), none.findings().get(0).message());

        Path ageDir = Files.createDirectories(work.resolve("age-wrong"));
        tools.ageEncrypt(RealTools.write(work.resolve("plain-w.yaml"), PLAIN), ageDir.resolve("x.yaml.age"), key, false);
        assertNotEquals(0, tools.ageDecrypt(ageDir.resolve("x.yaml.age"), otherKey).exitCode(), "age itself refuses it");
        refused(ageDir, otherKey, "secrets-age-wrong-key");
    }

    @Test
    void aPgpOnlySopsFileIsRefusedWithWhatToDo() throws Exception {
        Path dir = sopsDir("pgp", "yaml", PLAIN);
        Path file = dir.resolve("secrets.sops.yaml");
        Map<String, Object> doc = new Yaml().load(Files.readString(file));
        @SuppressWarnings("unchecked")
        Map<String, Object> meta = (Map<String, Object>) doc.get("sops");
        meta.remove("age");
        meta.put("pgp", List.of(Map.of("created_at", "2026-12-01T00:00:00Z", "fp", "FAKEFAKEFAKEFAKEFAKEFAKEFAKEFAKEFAKEFAKE",
                "enc", "-----BEGIN PGP MESSAGE-----\nfake\n-----END PGP MESSAGE-----\n")));
        Files.writeString(file, new Yaml().dump(doc));
        assertNotEquals(0, tools.sopsDecrypt(file, "yaml", key).exitCode(), "sops itself cannot open it with an age key");
        Finding f = refused(dir, key, "secrets-sops-no-age-recipient");
        assertTrue(f.message().contains("pgp only") && f.message().contains("--add-age"), f.message());
    }

    @Test
    void aDamagedAgePayloadIsRefusedAsAgeRefusesIt() throws Exception {
        Path dir = Files.createDirectories(work.resolve("age-damaged"));
        Path file = dir.resolve("x.yaml.age");
        tools.ageEncrypt(RealTools.write(work.resolve("plain-d.yaml"), PLAIN), file, key, false);
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length - 20] ^= 1;
        Files.write(file, bytes);
        assertNotEquals(0, tools.ageDecrypt(file, key).exitCode(), "age itself refuses it");
        refused(dir, key, "secrets-age-damaged");
    }

    /** Encrypts the plain text with the real sops into a fresh secrets directory as secrets.sops.TYPE. */
    static Path sopsDir(String name, String type, String plain, String... flags) throws IOException {
        Path dir = Files.createDirectories(work.resolve(name));
        Path source = RealTools.write(work.resolve(name + "-plain." + type), plain);
        boolean rule = flags.length > 0 && flags[0].startsWith("rule:");
        RealTools.write(dir.resolve("secrets.sops." + type), rule
                ? tools.sopsEncryptWithRule(source, type, key, java.util.Arrays.stream(flags).map(f -> f.substring(5)).toArray(String[]::new))
                : tools.sopsEncrypt(source, type, key, flags));
        return dir;
    }

    private static void assertSameAsSops(String type, String plain, String... flags) throws Exception {
        Path dir = sopsDir("same-" + type + "-" + String.join("", flags).replaceAll("[^a-z]", ""), type, plain, flags);
        Path file = dir.resolve("secrets.sops." + type);
        String expected = RealTools.check(tools.sopsDecrypt(file, type, key), "sops decrypt").out();
        SecretContext ours = new SecretsLoader(AgeIdentities.read(key.file(), "key")).load(dir);
        assertEquals(canonical(JSON.readTree(expected)), canonical(JSON.valueToTree(ours.values())), String.join(" ", flags));
        if (flags.length > 0 && flags[0].startsWith("rule:")) {
            assertTrue(Files.readString(file).contains("mac_only_encrypted: true"), "the rule reached the file");
        }
        Map<?, ?> numbers = (Map<?, ?>) ours.values().get("numbers");
        assertEquals(Integer.class, numbers.get("port").getClass(), "the Java types a plain file gives (templates see 4000, not 4000L)");
        assertEquals(Long.class, numbers.get("big").getClass());
        SecretSource source = ours.sources().get("providers.openai.api_key");
        assertEquals(SecretSource.Protection.SOPS, source.protection());
        assertEquals(Files.readAllLines(file).get(source.line() - 1).strip().startsWith("\"api_key\"") || Files.readAllLines(file)
                .get(source.line() - 1).strip().startsWith("api_key"), true, "the line of the key in the encrypted file");
        assertTrue(ours.secretStrings().containsAll(VALUES.subList(0, 1)));
    }

    /** Numbers compared by value (sops' JSON writes 1.5e3 as 1500), everything else as it is. */
    private static Object canonical(JsonNode node) {
        if (node.isObject()) {
            Map<String, Object> out = new LinkedHashMap<>();
            node.fields().forEachRemaining(e -> out.put(e.getKey(), canonical(e.getValue())));
            return out;
        }
        if (node.isArray()) {
            List<Object> out = new ArrayList<>();
            node.forEach(n -> out.add(canonical(n)));
            return out;
        }
        if (node.isNumber()) {
            return new BigDecimal(node.asText()).stripTrailingZeros().toPlainString();
        }
        return node.isNull() ? null : node.isTextual() ? node.textValue() : node.asText() + ":" + node.getNodeType();
    }

    private static Finding refused(Path dir, RealTools.KeyPair with, String code) throws IOException {
        try {
            ConfigValidationException e = assertThrows(ConfigValidationException.class,
                    () -> new SecretsLoader(AgeIdentities.read(with.file(), "key")).load(dir));
            Finding f = e.findings().stream().filter(x -> x.code().equals(code)).findFirst()
                    .orElseThrow(() -> new AssertionError("expected " + code + ", got " + e.findings()));
            for (String value : VALUES) {
                assertFalse(e.getMessage().contains(value), "a value in the message");
            }
            LeakGuard.scan("refusal", e.getMessage());
            return f;
        } catch (RuntimeException e) {
            throw new AssertionError(e);
        }
    }

    private static int indexOf(List<String> lines, String part) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(part)) {
                return i;
            }
        }
        throw new AssertionError("no line with " + part);
    }
}
