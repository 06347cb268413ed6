package dev.litellmdeploy.builder.secrets;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * One sops value, {@code ENC[AES256_GCM,data:...,iv:...,tag:...,type:...]}: AES-256-GCM with the key path as
 * additional data (sops' aes/cipher.go), its plaintext typed as sops types it, and the bytes sops' MAC hashes for a
 * value (sops.go ToBytes). The JDK's javax.crypto does the cipher.
 */
final class SopsValue {
    private static final Pattern ENCRYPTED = Pattern.compile("^ENC\\[AES256_GCM,data:(.+),iv:(.+),tag:(.+),type:(.+)\\]");

    /** A value that was encrypted but does not authenticate with the data key and its path. */
    static final class TamperedException extends Exception {
        TamperedException(String why) {
            super(why);
        }
    }

    private SopsValue() {
    }

    static boolean looksEncrypted(String text) {
        return ENCRYPTED.matcher(text).find();
    }

    /** The plaintext of an encrypted value, typed (String, Integer/Long, Double, Boolean); "" stays "" as in sops. */
    static Object decrypt(String text, byte[] dataKey, String additionalData) throws TamperedException {
        if (text.isEmpty()) {
            return "";
        }
        Matcher m = ENCRYPTED.matcher(text);
        if (!m.find()) {
            throw new TamperedException("is not a sops-encrypted value (ENC[AES256_GCM,...])");
        }
        byte[] plain;
        try {
            Base64.Decoder b64 = Base64.getDecoder();
            byte[] data = b64.decode(m.group(1));
            byte[] iv = b64.decode(m.group(2));
            byte[] tag = b64.decode(m.group(3));
            Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
            gcm.init(Cipher.DECRYPT_MODE, new SecretKeySpec(dataKey, "AES"), new GCMParameterSpec(tag.length * 8, iv));
            gcm.updateAAD(additionalData.getBytes(StandardCharsets.UTF_8));
            gcm.update(data);
            plain = gcm.doFinal(tag);
        } catch (IllegalArgumentException e) {
            throw new TamperedException("is not valid base64");
        } catch (GeneralSecurityException e) {
            throw new TamperedException("does not authenticate (it was changed, or moved to another key)");
        }
        return typed(new String(plain, StandardCharsets.UTF_8), m.group(4));
    }

    private static Object typed(String plain, String type) throws TamperedException {
        try {
            return switch (type) {
                case "str", "bytes", "time", "comment" -> plain;
                case "int" -> integer(Long.parseLong(plain.startsWith("+") ? plain.substring(1) : plain));
                case "float" -> Double.parseDouble(plain);
                case "bool" -> goBool(plain);
                default -> throw new TamperedException("has an unknown sops type '" + type + "'");
            };
        } catch (NumberFormatException e) {
            throw new TamperedException("is not a valid " + type);
        }
    }

    /** Go's strconv.ParseBool. */
    private static Boolean goBool(String s) throws TamperedException {
        return switch (s) {
            case "1", "t", "T", "TRUE", "true", "True" -> Boolean.TRUE;
            case "0", "f", "F", "FALSE", "false", "False" -> Boolean.FALSE;
            default -> throw new TamperedException("is not a valid bool");
        };
    }

    /** Integer when it fits (as SnakeYAML gives plain files' numbers), else Long. */
    static Number integer(long n) {
        if (n == (int) n) {
            return Integer.valueOf((int) n);
        }
        return Long.valueOf(n);
    }

    /** What sops' MAC hashes for a value: strings as they are, numbers as Go formats them, booleans True/False. */
    static byte[] macBytes(Object value) {
        String text;
        if (value instanceof Boolean b) {
            text = b ? "True" : "False";
        } else if (value instanceof Double d) {
            text = goFloat(d);
        } else {
            text = String.valueOf(value);
        }
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** Go's strconv.FormatFloat(v, 'f', -1, 64): the shortest decimal that reads back, never an exponent. */
    static String goFloat(double d) {
        if (Double.isNaN(d)) {
            return "NaN";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "+Inf" : "-Inf";
        }
        if (d == 0) {
            return 1 / d < 0 ? "-0" : "0";
        }
        BigDecimal exact = new BigDecimal(d);
        for (int digits = 1; digits < 17; digits++) {
            BigDecimal shortest = exact.round(new MathContext(digits, RoundingMode.HALF_EVEN));
            if (shortest.doubleValue() == d) {
                return shortest.stripTrailingZeros().toPlainString();
            }
        }
        return exact.round(new MathContext(17, RoundingMode.HALF_EVEN)).stripTrailingZeros().toPlainString();
    }
}
