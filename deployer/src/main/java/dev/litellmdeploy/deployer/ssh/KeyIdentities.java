package dev.litellmdeploy.deployer.ssh;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;

import org.apache.sshd.common.NamedResource;
import org.apache.sshd.common.config.keys.FilePasswordProvider;
import org.apache.sshd.common.util.security.SecurityUtils;

import dev.litellmdeploy.deployer.bundle.SecretRegistry;
import dev.litellmdeploy.deployer.remote.ConnectionException;

/** Parses the private key text (OpenSSH or PEM, ed25519/RSA/ECDSA, optionally encrypted) with MINA's loaders. */
final class KeyIdentities {
    private KeyIdentities() {
    }

    static List<KeyPair> load(String keyText, String passphrase) throws ConnectionException {
        SecretRegistry.global().addMultiLine(keyText);
        SecretRegistry.global().add(passphrase);
        if (keyText == null || keyText.isBlank()) {
            throw new ConnectionException("no SSH private key was given");
        }
        String text = keyText.replace("\r\n", "\n").strip() + "\n";
        if (text.startsWith("ssh-") || text.startsWith("ecdsa-")) {
            throw new ConnectionException("the SSH key given is a public key (it starts with its type, like an authorized_keys"
                    + " line); give the private key, the file that begins with -----BEGIN");
        }
        if (!text.contains("-----BEGIN")) {
            throw new ConnectionException("the SSH key is not a private key in OpenSSH or PEM format (no -----BEGIN line);"
                    + " check that the whole key, with its first and last lines, was pasted");
        }
        boolean encrypted = text.contains("ENCRYPTED") || text.contains("Proc-Type: 4,ENCRYPTED") || isEncryptedOpenSsh(text);
        if (encrypted && (passphrase == null || passphrase.isEmpty())) {
            throw new ConnectionException("the SSH key is encrypted; give its passphrase (--key-passphrase /"
                    + " LITELLM_DEPLOY_KEY_PASSPHRASE, action input ssh-key-passphrase)");
        }
        try {
            Iterable<KeyPair> pairs = SecurityUtils.loadKeyPairIdentities(null, NamedResource.ofName("ssh-key"),
                    new ByteArrayInputStream(text.getBytes(StandardCharsets.US_ASCII)),
                    passphrase == null ? null : FilePasswordProvider.of(passphrase));
            List<KeyPair> out = new ArrayList<>();
            if (pairs != null) {
                pairs.forEach(out::add);
            }
            if (out.isEmpty()) {
                throw new ConnectionException("the SSH key could not be read (no key found in it)");
            }
            return out;
        } catch (GeneralSecurityException | IOException | RuntimeException e) {
            if (encrypted) {
                throw new ConnectionException("the SSH key could not be decrypted: wrong passphrase?");
            }
            throw new ConnectionException("the SSH key could not be read: it is malformed or of an unsupported type ("
                    + e.getClass().getSimpleName() + ")");
        }
    }

    /** An OpenSSH-format key says its cipher in the clear part of the base64 body: "none" means unencrypted. */
    private static boolean isEncryptedOpenSsh(String text) {
        if (!text.contains("OPENSSH PRIVATE" + " KEY")) {
            return false;
        }
        try {
            String body = text.replaceAll("-----[^-]+-----", "").replaceAll("\\s", "");
            byte[] raw = java.util.Base64.getDecoder().decode(body);
            String head = new String(raw, 0, Math.min(raw.length, 64), StandardCharsets.ISO_8859_1);
            return head.startsWith("openssh-key-v1") && !head.contains("none");
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
