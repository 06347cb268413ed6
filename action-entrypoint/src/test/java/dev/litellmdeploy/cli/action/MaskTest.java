package dev.litellmdeploy.cli.action;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringWriter;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.litellmdeploy.cli.RedactingWriter;

/** Which lines of a secret are masked, and that a line of a multi-line secret printed alone is hidden by this tool too. */
class MaskTest {
    static final String JSON_KEY = "{\n  \"type\": \"service_account\",\n  \"private_key_id\": \"fake-mask-test-0123456789abcdef\",\n"
            + "  \"scopes\": [\n    \"x\"\n  ]\n}\n";

    @Test
    void linesTooShortOrTooCommonAreNotMasked() {
        for (String common : List.of("{", "}", "[", "],", "\"x\"", "true", "null,", "  ", "abc")) {
            assertFalse(WorkflowCommands.maskable(common), common);
        }
        for (String line : List.of("\"type\": \"service_account\",", "sk-fake-0123", "hunter22")) {
            assertTrue(WorkflowCommands.maskable(line), line);
        }
    }

    @Test
    void aLineOfAMultiLineSecretPrintedAloneIsHiddenByTheToolsOwnFilter() throws Exception {
        StringWriter out = new StringWriter();
        try (RedactingWriter w = new RedactingWriter(out, ActionRunner.withLines(List.of(JSON_KEY)))) {
            w.write("the key id line was:   \"private_key_id\": \"fake-mask-test-0123456789abcdef\",\n{ and } stay\n");
        }
        assertFalse(out.toString().contains("fake-mask-test-0123456789abcdef"), out.toString());
        assertTrue(out.toString().contains("{ and } stay"), out.toString());
        assertEquals(List.of(JSON_KEY, "\"type\": \"service_account\",", "\"private_key_id\": \"fake-mask-test-0123456789abcdef\",",
                "\"scopes\": ["), ActionRunner.withLines(List.of(JSON_KEY)));
    }
}
