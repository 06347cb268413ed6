package dev.litellmdeploy.builder.secrets;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SignatureException;

import com.exceptionfactory.jagged.DecryptingChannelFactory;
import com.exceptionfactory.jagged.framework.armor.ArmoredDecryptingChannelFactory;
import com.exceptionfactory.jagged.framework.stream.StandardDecryptingChannelFactory;

/**
 * Opens an age file (binary, or armored as {@code age -a} and sops write it) with jagged, in memory. A failure says
 * which of three things happened: no identity was given, none of those given is a recipient, or the file is damaged.
 */
public final class AgeDecryption {
    static final String ARMOR_BEGIN = "-----BEGIN AGE ENCRYPTED FILE-----";
    /** A secrets file (and a sops data key) is small; a larger plaintext is refused rather than held in memory. */
    private static final int MAX_PLAINTEXT = 4 * 1024 * 1024;

    private AgeDecryption() {
    }

    /** @param what the file the message names */
    public static byte[] decrypt(byte[] data, AgeIdentities identities, String what) throws DecryptionException {
        if (identities.isEmpty()) {
            throw noIdentity(what);
        }
        boolean armored = new String(data, 0, Math.min(data.length, 64), StandardCharsets.US_ASCII).stripLeading().startsWith(ARMOR_BEGIN);
        byte[] input = armored ? new String(data, StandardCharsets.US_ASCII).strip().concat("\n").getBytes(StandardCharsets.US_ASCII) : data;
        DecryptingChannelFactory factory = armored ? new ArmoredDecryptingChannelFactory() : new StandardDecryptingChannelFactory();
        ReadableByteChannel channel;
        try {
            channel = factory.newDecryptingChannel(Channels.newChannel(new ByteArrayInputStream(input)), identities.readers());
        } catch (SignatureException e) {
            throw damaged(what, "its header does not authenticate");
        } catch (GeneralSecurityException e) {
            throw new DecryptionException("secrets-age-wrong-key", what + ": none of the " + identities.describe()
                    + " is one of its recipients (wrong key, or its recipient lines were changed)");
        } catch (IOException | RuntimeException e) {
            throw damaged(what, "it is not a readable age file");
        }
        try (channel) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
            while (channel.read(buffer) >= 0) {
                buffer.flip();
                out.write(buffer.array(), 0, buffer.limit());
                buffer.clear();
                if (out.size() > MAX_PLAINTEXT) {
                    throw damaged(what, "it decrypts to more than " + MAX_PLAINTEXT / 1024 / 1024 + " MiB");
                }
            }
            return out.toByteArray();
        } catch (IOException | RuntimeException e) {
            throw damaged(what, "its encrypted content does not authenticate (changed or cut short)");
        }
    }

    static DecryptionException noIdentity(String what) {
        return new DecryptionException("secrets-age-no-identity", what + " is encrypted with age and no age identity was given;"
                + " give one with --age-identity FILE, SOPS_AGE_KEY_FILE, SOPS_AGE_KEY, or the action input age-key");
    }

    private static DecryptionException damaged(String what, String why) {
        return new DecryptionException("secrets-age-damaged", what + " cannot be decrypted: " + why
                + "; restore it from version control or encrypt it again");
    }
}
