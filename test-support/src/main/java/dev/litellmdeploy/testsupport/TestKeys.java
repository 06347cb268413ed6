package dev.litellmdeploy.testsupport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;

import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyEncryptionContext;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.apache.sshd.common.util.security.SecurityUtils;

/** A fresh SSH key pair made in the test run, never committed: private key text and authorized_keys line. */
public record TestKeys(KeyPair keyPair, String privateKeyOpenSsh, String authorizedKeysLine) {

    /** A new ed25519 key pair without passphrase. */
    public static TestKeys ed25519() {
        return generate(SecurityUtils.EDDSA, 256, null);
    }

    /** A new key pair of the given JCA algorithm ("EdDSA", "RSA", "EC"), optionally encrypted. */
    public static TestKeys generate(String algorithm, int bits, String passphrase) {
        try {
            KeyPairGenerator generator = SecurityUtils.getKeyPairGenerator(algorithm);
            if (!SecurityUtils.EDDSA.equals(algorithm)) {
                generator.initialize(bits);
            }
            KeyPair pair = generator.generateKeyPair();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            OpenSSHKeyEncryptionContext encryption = null;
            if (passphrase != null) {
                encryption = new OpenSSHKeyEncryptionContext();
                encryption.setCipherName("AES");
                encryption.setCipherMode("CTR");
                encryption.setCipherType("256");
                encryption.setPassword(passphrase);
            }
            OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(pair, "litellm-deploy-test", encryption, out);
            String publicLine = PublicKeyEntry.toString(pair.getPublic()) + " litellm-deploy-test";
            String privateText = out.toString(StandardCharsets.US_ASCII);
            LeakGuard.secretMultiLine(privateText);
            if (passphrase != null) {
                LeakGuard.secret(passphrase);
            }
            return new TestKeys(pair, privateText, publicLine);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate a " + algorithm + " key pair", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
