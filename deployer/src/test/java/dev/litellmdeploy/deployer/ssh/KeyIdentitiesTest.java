package dev.litellmdeploy.deployer.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.KeyPair;
import java.util.Base64;
import java.util.List;

import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.util.security.SecurityUtils;
import org.junit.jupiter.api.Test;

import dev.litellmdeploy.deployer.remote.ConnectionException;
import dev.litellmdeploy.testsupport.TestKeys;

class KeyIdentitiesTest {

    @Test
    void readsEd25519RsaAndEcdsaKeysInOpenSshFormat() throws Exception {
        for (TestKeys k : List.of(TestKeys.ed25519(), TestKeys.generate("RSA", 2048, null), TestKeys.generate("EC", 521, null))) {
            KeyPair loaded = KeyIdentities.load(k.privateKeyOpenSsh(), null).get(0);
            assertTrue(KeyUtils.compareKeys(k.keyPair().getPublic(), loaded.getPublic()));
        }
    }

    @Test
    void readsPemPkcs8KeysAndCrlfLineEndings() throws Exception {
        // (EC keys in PEM come from ssh-keygen in SafetyTest: the JDK's PKCS#8 EC encoding omits the public point)
        for (String alg : List.of("RSA")) {
            KeyPair pair = TestKeys.generate(alg, alg.equals("RSA") ? 2048 : 256, null).keyPair();
            String pem = "-----BEGIN PRIVATE KEY-----\r\n" + Base64.getMimeEncoder(64, "\r\n".getBytes()).encodeToString(pair.getPrivate().getEncoded())
                    + "\r\n-----END PRIVATE KEY-----\r\n";
            KeyPair loaded = KeyIdentities.load(pem, null).get(0);
            assertTrue(KeyUtils.compareKeys(pair.getPublic(), loaded.getPublic()), alg);
        }
    }

    @Test
    void anEncryptedKeyNeedsTheRightPassphrase() throws Exception {
        TestKeys k = TestKeys.generate(SecurityUtils.EDDSA, 256, "s3cret-passphrase");
        assertTrue(KeyUtils.compareKeys(k.keyPair().getPublic(), KeyIdentities.load(k.privateKeyOpenSsh(), "s3cret-passphrase").get(0).getPublic()));
        ConnectionException missing = assertThrows(ConnectionException.class, () -> KeyIdentities.load(k.privateKeyOpenSsh(), null));
        assertTrue(missing.getMessage().contains("encrypted; give its passphrase"), missing.getMessage());
        ConnectionException wrong = assertThrows(ConnectionException.class, () -> KeyIdentities.load(k.privateKeyOpenSsh(), "nope"));
        assertTrue(wrong.getMessage().contains("wrong passphrase"), wrong.getMessage());
    }

    @Test
    void aPublicKeyOrGarbageIsRefusedWithAMessageThatSaysWhy() {
        TestKeys k = TestKeys.ed25519();
        assertTrue(assertThrows(ConnectionException.class, () -> KeyIdentities.load(k.authorizedKeysLine(), null))
                .getMessage().contains("is a public key"));
        assertTrue(assertThrows(ConnectionException.class, () -> KeyIdentities.load("not a key at all", null))
                .getMessage().contains("no -----BEGIN line"));
        String truncated = k.privateKeyOpenSsh().substring(0, 120) + "\n-----END OPENSSH PRIVATE KEY-----\n";
        String message = assertThrows(ConnectionException.class, () -> KeyIdentities.load(truncated, null)).getMessage();
        assertTrue(message.contains("could not be"), message);
        assertEquals(-1, message.indexOf(k.privateKeyOpenSsh().substring(40, 80)), "the key text is never echoed");
    }
}
