package dev.litellmdeploy.cli.secrets;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import dev.litellmdeploy.testsupport.LeakGuard;
import dev.litellmdeploy.testsupport.RealSecretTools;

/** The real sops and age driven for the tests: fresh fake keys, files encrypted and decrypted by the tools themselves. */
final class RealTools {
    /** An age key pair made by age-keygen: the key file and its public recipient. */
    record KeyPair(Path file, String recipient) {
        String identity() throws IOException {
            return Files.readAllLines(file).stream().filter(l -> l.startsWith("AGE-SECRET-KEY-1")).findFirst().orElseThrow();
        }
    }

    final Path sops = RealSecretTools.sops();
    private final Path dir;

    RealTools(Path dir) {
        this.dir = dir;
    }

    KeyPair newKey(String name) throws IOException {
        Path file = dir.resolve(name + ".txt");
        check(RealSecretTools.run(dir, Map.of(), "age-keygen", "-o", file.toString()), "age-keygen");
        String recipient = Files.readAllLines(file).stream().filter(l -> l.startsWith("# public key: ")).findFirst().orElseThrow()
                .substring("# public key: ".length());
        KeyPair pair = new KeyPair(file, recipient);
        LeakGuard.secret(pair.identity());
        return pair;
    }

    /** sops encrypt FILE, in a folder without a .sops.yaml; extra flags as sops takes them. */
    String sopsEncrypt(Path plain, String type, KeyPair key, String... flags) {
        String[] command = new String[flags.length + 8];
        command[0] = sops.toString();
        command[1] = "encrypt";
        command[2] = "--age";
        command[3] = key.recipient();
        command[4] = "--input-type";
        command[5] = type;
        command[6] = "--output-type";
        command[7] = type;
        System.arraycopy(flags, 0, command, 8, flags.length);
        String[] withFile = java.util.Arrays.copyOf(command, command.length + 1);
        withFile[command.length] = plain.toString();
        return check(RealSecretTools.run(dir, Map.of(), withFile), "sops encrypt").out();
    }

    /** sops encrypt with a .sops.yaml of these creation-rule lines (for what only a config can say: mac_only_encrypted). */
    String sopsEncryptWithRule(Path plain, String type, KeyPair key, String... ruleLines) throws IOException {
        Path config = write(dir.resolve("rule-" + Math.abs(String.join("", ruleLines).hashCode()) + ".sops.yaml"),
                "creation_rules:\n  - age: " + key.recipient() + "\n" + java.util.Arrays.stream(ruleLines).map(l -> "    " + l + "\n")
                        .collect(java.util.stream.Collectors.joining()));
        return check(RealSecretTools.run(dir, Map.of(), sops.toString(), "--config", config.toString(), "encrypt", "--input-type", type,
                "--output-type", type, "--filename-override", "x." + type, plain.toString()), "sops encrypt").out();
    }

    /** sops decrypt as JSON with this key; the result (exit code checked by the caller). */
    RealSecretTools.Run sopsDecrypt(Path file, String type, KeyPair key) {
        return RealSecretTools.run(dir, Map.of("SOPS_AGE_KEY_FILE", key.file().toString()), sops.toString(), "decrypt",
                "--input-type", type, "--output-type", "json", file.toString());
    }

    void ageEncrypt(Path plain, Path out, KeyPair key, boolean armor) {
        check(armor ? RealSecretTools.run(dir, Map.of(), "age", "-a", "-r", key.recipient(), "-o", out.toString(), plain.toString())
                : RealSecretTools.run(dir, Map.of(), "age", "-r", key.recipient(), "-o", out.toString(), plain.toString()), "age -r");
    }

    RealSecretTools.Run ageDecrypt(Path file, KeyPair key) {
        return RealSecretTools.run(dir, Map.of(), "age", "-d", "-i", key.file().toString(), file.toString());
    }

    static RealSecretTools.Run check(RealSecretTools.Run run, String what) {
        assertEquals(0, run.exitCode(), what + " failed: " + run.stderr());
        return run;
    }

    static Path write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        return Files.writeString(file, text, StandardCharsets.UTF_8);
    }
}
