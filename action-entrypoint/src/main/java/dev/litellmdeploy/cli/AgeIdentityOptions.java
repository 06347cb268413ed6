package dev.litellmdeploy.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import dev.litellmdeploy.builder.secrets.AgeIdentities;
import dev.litellmdeploy.builder.secrets.DecryptionException;
import dev.litellmdeploy.deployer.bundle.SecretRegistry;
import picocli.CommandLine.Option;

/** {@code --age-identity FILE} (repeatable) plus what sops itself reads from the environment; the keys join the masks. */
final class AgeIdentityOptions {
    @Option(names = "--age-identity", paramLabel = "FILE")
    List<Path> files;

    AgeIdentities identities(Map<String, String> env) throws DecryptionException {
        AgeIdentities all = AgeIdentities.none();
        for (Path file : files == null ? List.<Path>of() : files) {
            all = all.plus(AgeIdentities.read(file, "--age-identity " + file));
        }
        all = all.plus(AgeIdentities.sopsEnvironment(env));
        SecretRegistry.global().add(all.secretTexts());
        return all;
    }
}
