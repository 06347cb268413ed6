package dev.litellmdeploy.builder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * docs/validation.md's rule table is generated from {@link Rule}; this test fails when the two
 * drift. After an intended change: {@code ./mvnw -pl config-builder test -Dtest=RuleTableTest
 * -Dlitellmdeploy.updateDocs=true}. It also fails when the validator reports a code the table lacks.
 */
class RuleTableTest {
    private static final Path ROOT = Path.of(System.getProperty("litellmdeploy.projectRoot", ".."));
    private static final String BEGIN = "<!-- rule table: generated from Rule.java by RuleTableTest; do not edit by hand -->\n";
    private static final String END = "<!-- end of rule table -->";
    /** The classes of validate's path; the codes they report must all be rules. */
    private static final List<String> VALIDATION = List.of("ConfigValidator", "FallbackRules", "GuardrailRules", "SectionRules", "LocatedYaml", "ConfigAssembler");
    /** Codes of those classes that a config file given to validate cannot produce. */
    private static final Set<String> BUILD_ONLY = Set.of("setting-overridden");

    @Test
    void docsValidationMdHoldsTheRuleTable() throws IOException {
        Path doc = ROOT.resolve("docs/validation.md");
        String text = Files.readString(doc, StandardCharsets.UTF_8);
        int begin = text.indexOf(BEGIN);
        int end = text.indexOf(END);
        assertTrue(begin >= 0 && end > begin, "docs/validation.md lacks the markers " + BEGIN.strip() + " ... " + END);
        String generated = text.substring(0, begin + BEGIN.length()) + Rule.markdownTable() + text.substring(end);
        if (Boolean.getBoolean("litellmdeploy.updateDocs")) {
            Files.writeString(doc, generated, StandardCharsets.UTF_8);
        }
        assertEquals(generated, Files.readString(doc, StandardCharsets.UTF_8), "docs/validation.md's rule table no longer matches Rule.java; regenerate it with -Dlitellmdeploy.updateDocs=true");
    }

    @Test
    void everyCodeTheValidatorReportsIsInTheTable() throws IOException {
        Set<String> reported = new TreeSet<>();
        Pattern literal = Pattern.compile("Finding\\.(?:error|warning)\\(\"([a-z-]+)\"");
        Pattern constant = Pattern.compile("Rule\\.([A-Z_]+)\\.code\\(\\)");
        for (String name : VALIDATION) {
            String source = Files.readString(Path.of("src/main/java/dev/litellmdeploy/builder", name + ".java"));
            for (Matcher m = literal.matcher(source); m.find();) {
                reported.add(m.group(1));
            }
            for (Matcher m = constant.matcher(source); m.find();) {
                reported.add(Rule.valueOf(m.group(1)).code());
            }
        }
        reported.removeAll(BUILD_ONLY);
        Set<String> table = new TreeSet<>(Arrays.stream(Rule.values()).map(Rule::code).toList());
        assertTrue(table.containsAll(reported), "codes without a row in Rule: " + reported.stream().filter(c -> !table.contains(c)).toList());
    }
}
