package dev.litellmdeploy.cli;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import org.apache.sshd.client.SshClient;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.apache.sshd.common.util.security.SecurityUtils;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.litellmdeploy.deployer.ssh.HostKeyPolicy;
import dev.litellmdeploy.deployer.ssh.SshConnector;
import dev.litellmdeploy.deployer.ssh.SshSettings;
import picocli.CommandLine.Command;

/**
 * Hidden: loads the classes a deploy needs (JSON, YAML, SSH, HTTP) without touching any server, so
 * that a class-data-sharing archive recorded at its exit covers them (the launcher and the
 * action image do this once after a build).
 */
@Command(name = "cds-warmup", hidden = true)
public final class WarmupCommand implements Callable<Integer> {
    @Override
    public Integer call() throws Exception {
        new ObjectMapper().readTree(new ObjectMapper().writeValueAsString(Map.of("format", 1, "files", List.of("config.yaml"))));
        new org.yaml.snakeyaml.Yaml().load("model_list: [{model_name: a, litellm_params: {model: b}}]\n");
        KeyPair pair = SecurityUtils.getKeyPairGenerator(SecurityUtils.EDDSA).generateKeyPair();
        ByteArrayOutputStream key = new ByteArrayOutputStream();
        OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(pair, "warmup", null, key);
        try (SshConnector connector = new SshConnector(new SshSettings("root", key.toString(StandardCharsets.US_ASCII), null,
                HostKeyPolicy.fingerprint(), null, null).withAcceptNew())) {
            SshClient.setUpDefaultClient();
        }
        java.net.http.HttpClient.newHttpClient();
        return ExitCodes.OK;
    }
}
