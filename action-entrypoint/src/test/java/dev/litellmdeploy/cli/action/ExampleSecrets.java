package dev.litellmdeploy.cli.action;

import java.util.ArrayList;
import java.util.List;

import dev.litellmdeploy.builder.SecretsLoader;
import dev.litellmdeploy.testsupport.MachinePreparation;
import dev.litellmdeploy.testsupport.TestHost;


/** Every secret an action run knows (the example's secrets repo, the token, the SSH key's lines): each must be masked first. */
final class ExampleSecrets {
    private ExampleSecrets() {
    }

    static List<String> all(TestHost host, String token) throws Exception {
        List<String> out = new ArrayList<>(new SecretsLoader().load(MachinePreparation.projectRoot().resolve("examples/secrets")).secretStrings());
        out.add(token);
        host.keys().privateKeyOpenSsh().lines().filter(l -> !l.startsWith("-----")).forEach(out::add);
        out.removeIf(s -> s.length() < 8);
        return out;
    }
}
