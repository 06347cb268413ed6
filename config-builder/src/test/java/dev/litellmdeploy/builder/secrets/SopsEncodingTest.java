package dev.litellmdeploy.builder.secrets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * The parts of the sops format that decide the MAC's bytes, checked against what Go does (go-yaml v3's resolve.go,
 * strconv, sops.go ToBytes). The whole format is checked against the real sops in SopsAndAgeDifferentialTest.
 */
class SopsEncodingTest {

    @Test
    void plainScalarsResolveAsGoYamlV3ResolvesThemNotAsYaml11() {
        assertEquals("yes", GoYamlScalars.resolvePlain("yes"), "YAML 1.1's yes is text in go-yaml v3");
        assertEquals("on", GoYamlScalars.resolvePlain("on"));
        assertEquals(Boolean.TRUE, GoYamlScalars.resolvePlain("True"));
        assertNull(GoYamlScalars.resolvePlain("~"));
        assertEquals(31, GoYamlScalars.resolvePlain("0x1F"));
        assertEquals(15, GoYamlScalars.resolvePlain("0o17"));
        assertEquals(15, GoYamlScalars.resolvePlain("017"), "a leading 0 is octal in strconv.ParseInt(s, 0, 64)");
        assertEquals(1_000_000, GoYamlScalars.resolvePlain("1_000_000"));
        assertEquals(9007199254740993L, GoYamlScalars.resolvePlain("9007199254740993"));
        assertEquals(1500.0, GoYamlScalars.resolvePlain("1.5e3"));
        assertEquals(Double.NEGATIVE_INFINITY, GoYamlScalars.resolvePlain("-.inf"));
        assertEquals("2026-12-01", GoYamlScalars.resolvePlain("2026-12-01"), "timestamps stay text for sops");
        assertEquals("1.2.3", GoYamlScalars.resolvePlain("1.2.3"));
    }

    @Test
    void theMacHashesValuesAsSopsToBytesWritesThem() {
        assertEquals("True", text(true));
        assertEquals("False", text(false));
        assertEquals("1500", text(1500.0), "FormatFloat 'f' -1 has no exponent and no .0");
        assertEquals("0.75", text(0.75));
        assertEquals("0.0000025", text(0.0000025));
        assertEquals("100000000000000000000", text(1e20));
        assertEquals("-0", text(-0.0));
        assertEquals("0.3", text(0.3), "the shortest digits that read back");
        assertEquals("0.30000000000000004", text(0.1 + 0.2));
        assertEquals("0." + "0".repeat(323) + "5", text(Double.MIN_VALUE), "Java 17's Double.toString is not always shortest; Go's is");
        assertEquals("+Inf", text(Double.POSITIVE_INFINITY));
        assertEquals("9007199254740993", text(9007199254740993L));
        assertArrayEquals("ключ-🔑".getBytes(StandardCharsets.UTF_8), SopsValue.macBytes("ключ-🔑"));
    }

    @Test
    void aValueThatIsNotSopsEncryptedIsRefusedNotPassedThrough() {
        SopsValue.TamperedException e = assertThrows(SopsValue.TamperedException.class,
                () -> SopsValue.decrypt("sk-fake-pasted-in-plain-text", new byte[32], "k:"));
        assertTrue(e.getMessage().contains("not a sops-encrypted value"), e.getMessage());
        assertEquals("", assertDoesNotThrow(() -> SopsValue.decrypt("", new byte[32], "k:")), "sops leaves empty strings empty");
    }

    @Test
    void identityTextsAreCheckedLineByLineNamingTheSourceNeverTheKey() throws Exception {
        assertEquals(0, AgeIdentities.parse("# created: 2026-12-01\n\n", "keys.txt", false).size());
        for (String bad : List.of("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIfake", "AGE-SECRET-KEY-1QQQQ", "AGE-SECRET-KEY-PQ-1ABC",
                "AGE-PLUGIN-YUBIKEY-1ABC")) {
            DecryptionException e = assertThrows(DecryptionException.class, () -> AgeIdentities.parse("# c\n" + bad + "\n", "keys.txt", false));
            assertTrue(e.getMessage().startsWith("keys.txt line 2 is "), e.getMessage());
            assertTrue(!e.getMessage().contains(bad), "the key text is not in the message");
        }
    }

    private static <T> T assertDoesNotThrow(org.junit.jupiter.api.function.ThrowingSupplier<T> s) {
        return org.junit.jupiter.api.Assertions.assertDoesNotThrow(s);
    }

    private static String text(Object value) {
        return new String(SopsValue.macBytes(value), StandardCharsets.UTF_8);
    }
}
