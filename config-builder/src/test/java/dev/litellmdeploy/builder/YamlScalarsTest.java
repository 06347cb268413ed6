package dev.litellmdeploy.builder;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.yaml.snakeyaml.Yaml;

class YamlScalarsTest {

    private static Object roundTrip(Object value) {
        Map<?, ?> parsed = new Yaml().load("key: " + YamlScalars.toYaml(value) + "\n");
        return parsed.get("key");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "plain", "with \"double\" quotes", "with 'single' quotes", "back\\slash\\", "colon: space", "hash # comment",
        "*star", "&amp", "!bang", "@at", "-dash", "- list", "? question", "|pipe", ">fold", "%percent", "`tick",
        "line1\nline2", "tab\there", "trailing space ", " leading space", "unicode: ünïcødé ✓ 日本語 🚀", "{{braces}}",
        "{flow: map}", "[flow, list]", "yes", "no", "on", "off", "true", "False", "null", "~", "0x1F", "0o17", "017",
        "1e3", "1_000", ".inf", "-.inf", ".nan", "12:30:45", "2024-01-01", "", " ", "\r\n", "nul\0char", "bell\u0007",
        "del\u007f", "c1\u0085\u0090", "ls\u2028ps\u2029", "bom\uFEFF", "<<", "=", "---", "...", "#", "'", "\"",
    })
    void everyHostileStringRoundTripsExactly(String secret) {
        assertEquals(secret, roundTrip(secret));
    }

    @Test
    void numbersAndBooleansStayTyped() {
        assertEquals(42, roundTrip(42));
        assertEquals(3000000000L, roundTrip(3000000000L));
        assertEquals(0.25, roundTrip(0.25));
        assertEquals(true, roundTrip(true));
        assertEquals(false, roundTrip(false));
    }

    @Test
    void mapsAndListsBecomeFlowCollectionsThatRoundTrip() {
        Map<String, Object> headers = Map.of("X-Api-Key", "a: \"b\" #c", "n", 3);
        assertEquals(headers, roundTrip(headers));
        assertEquals(List.of("x", 1, "y: z"), roundTrip(List.of("x", 1, "y: z")));
    }

    @Test
    void randomStringsAlwaysRoundTrip() {
        Random random = new Random(20261129L);
        String alphabet = "abcXYZ019 :#'\"\\{}[],&*!|>%@`-?\n\t\r\u0000\u0007\u0085\u00a0\u2028\u2029\ufeffé日🚀";
        int[] codePoints = alphabet.codePoints().toArray();
        for (int i = 0; i < 5000; i++) {
            StringBuilder s = new StringBuilder();
            int length = random.nextInt(40);
            for (int j = 0; j < length; j++) {
                s.appendCodePoint(random.nextInt(8) == 0 ? 0x20 + random.nextInt(0x5f) : codePoints[random.nextInt(codePoints.length)]);
            }
            String value = s.toString();
            assertEquals(value, roundTrip(value), () -> "failed for " + value.codePoints().mapToObj(Integer::toHexString).toList());
        }
    }
}
