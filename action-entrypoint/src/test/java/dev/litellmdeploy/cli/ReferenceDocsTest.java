package dev.litellmdeploy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import dev.litellmdeploy.testsupport.MachinePreparation;
import picocli.CommandLine;

/**
 * docs/cli.md (every command's --help, from the picocli model) and docs/action.md (inputs and
 * outputs, from action.yml) are generated; these tests fail when the checked-in files drift from
 * the code. After an intended change: {@code ./mvnw -pl action-entrypoint test -Dtest=OptionTableTest,ReferenceDocsTest
 * -Dlitellmdeploy.updateDocs=true} (OptionTableTest writes action.yml's inputs from {@link OptionTable}; run it first).
 */
class ReferenceDocsTest {
    private static final Path DOCS = MachinePreparation.projectRoot().resolve("docs");

    static String cliReference() {
        StringBuilder md = new StringBuilder("# CLI reference\n\nGenerated from the picocli model by ReferenceDocsTest; do not edit by hand.\n");
        CommandLine top = new CommandLine(new LitellmDeployCommand());
        append(md, "litellm-deploy", top);
        top.getSubcommands().forEach((name, sub) -> {
            if (!sub.getCommandSpec().usageMessage().hidden() && !name.equals("help")) {
                append(md, "litellm-deploy " + name, sub);
                sub.getSubcommands().forEach((nested, cmd) -> append(md, "litellm-deploy " + name + " " + nested, cmd));
            }
        });
        return md.toString();
    }

    private static void append(StringBuilder md, String title, CommandLine cmd) {
        cmd.setUsageHelpWidth(100);
        md.append("\n## ").append(title).append("\n\n```text\n").append(cmd.getUsageMessage(CommandLine.Help.Ansi.OFF).stripTrailing())
                .append("\n```\n");
    }

    @SuppressWarnings("unchecked")
    static String actionReference() throws IOException {
        Map<String, Object> action = new Yaml().load(Files.readString(MachinePreparation.projectRoot().resolve("action.yml")));
        StringBuilder md = new StringBuilder("# Action reference\n\nGenerated from action.yml by ReferenceDocsTest; do not edit by hand.\n\n")
                .append(action.get("description")).append("\n\n## Inputs\n\n| input | required | default | description | CLI |\n|---|---|---|---|---|\n");
        ((Map<String, Map<String, Object>>) action.get("inputs")).forEach((name, spec) -> md.append("| `").append(name).append("` | ")
                .append(Boolean.TRUE.equals(spec.get("required")) ? "yes" : "no").append(" | ")
                .append(spec.get("default") == null ? "" : "`" + spec.get("default") + "`").append(" | ")
                .append(String.valueOf(spec.get("description")).replace("|", "\\|")).append(" | ").append(cliOf(name)).append(" |\n"));
        md.append("\n## CLI options the action does not take\n\n| option | why |\n|---|---|\n");
        for (OptionTable row : OptionTable.values()) {
            if (row.notInAction() != null) {
                md.append("| `").append(row.flag()).append("` | ").append(row.notInAction().replace("|", "\\|")).append(" |\n");
            }
        }
        md.append("\n## Outputs\n\n| output | description |\n|---|---|\n");
        ((Map<String, Map<String, Object>>) action.get("outputs")).forEach((name, spec) -> md.append("| `").append(name).append("` | ")
                .append(spec.get("description")).append(" |\n"));
        return md.toString();
    }

    /** The CLI option an input stands for (OptionTable), or what the CLI does instead. */
    private static String cliOf(String input) {
        return OptionTable.inputs().stream().filter(r -> r.input().equals(input)).findFirst()
                .map(r -> r.flag() != null ? "`" + r.flag() + "`" : r.cliEquivalent()).orElse("").replace("|", "\\|");
    }

    private static void check(String file, String generated) throws IOException {
        Path path = DOCS.resolve(file);
        if (Boolean.getBoolean("litellmdeploy.updateDocs")) {
            Files.writeString(path, generated, StandardCharsets.UTF_8);
        }
        assertEquals(Files.exists(path) ? Files.readString(path, StandardCharsets.UTF_8) : "", generated,
                "docs/" + file + " no longer matches the code; regenerate it with -Dlitellmdeploy.updateDocs=true");
    }

    @Test
    void theCliReferenceMatchesEveryCommandsHelp() throws IOException {
        check("cli.md", cliReference());
    }

    @Test
    void theActionReferenceMatchesActionYml() throws IOException {
        check("action.md", actionReference());
    }
}
