package dev.litellmdeploy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import dev.litellmdeploy.builder.BundleOptions;
import dev.litellmdeploy.deployer.DeploySettings;
import dev.litellmdeploy.deployer.UvSource;
import dev.litellmdeploy.deployer.ssh.HostKeyPolicy;
import dev.litellmdeploy.deployer.ssh.SshSettings;
import dev.litellmdeploy.testsupport.MachinePreparation;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * {@link OptionTable} is the one source of option texts and defaults: action.yml's inputs, the CLI's
 * options and the library's defaults must all agree with it. The inputs block of action.yml is
 * generated from the table: after a change, {@code ./mvnw -pl action-entrypoint test -Dtest=OptionTableTest
 * -Dlitellmdeploy.updateDocs=true}, then the same for ReferenceDocsTest (docs/action.md is made from action.yml).
 */
class OptionTableTest {
    private static final Path ACTION_YML = MachinePreparation.projectRoot().resolve("action.yml");
    /** The commands whose options the action stands for: it builds, then plans (dry-run) or deploys. */
    private static final List<String> ACTION_COMMANDS = List.of("build", "plan", "deploy");

    @Test
    @SuppressWarnings("unchecked")
    void actionYmlDeclaresExactlyTheTablesInputsWithTheirDefaultsAndTexts() throws IOException {
        if (Boolean.getBoolean("litellmdeploy.updateDocs")) {
            String text = Files.readString(ACTION_YML, StandardCharsets.UTF_8);
            int from = text.indexOf("\ninputs:\n") + 1;
            int to = text.indexOf("\noutputs:\n") + 1;
            Files.writeString(ACTION_YML, text.substring(0, from) + inputsBlock() + "\n" + text.substring(to), StandardCharsets.UTF_8);
        }
        Map<String, Object> action = new Yaml().load(Files.readString(ACTION_YML));
        Map<String, Map<String, Object>> inputs = (Map<String, Map<String, Object>>) action.get("inputs");
        assertEquals(OptionTable.inputs().stream().map(OptionTable::input).toList(), new ArrayList<>(inputs.keySet()),
                "action.yml's inputs are the table's, in its order (regenerate with -Dlitellmdeploy.updateDocs=true)");
        for (OptionTable row : OptionTable.inputs()) {
            Map<String, Object> declared = inputs.get(row.input());
            assertEquals(row.inputDescription(), declared.get("description"), row.input());
            assertEquals(row.required(), declared.get("required"), row.input());
            assertEquals(row.defaultValue(), declared.get("default") == null ? null : String.valueOf(declared.get("default")), row.input());
        }
    }

    @Test
    void everyOptionOfBuildPlanAndDeployHasARowAndReachesTheActionOrSaysWhyNot() {
        CommandLine top = new CommandLine(new LitellmDeployCommand());
        Set<OptionTable> used = new LinkedHashSet<>();
        for (CommandLine sub : top.getSubcommands().values()) {
            for (OptionSpec o : sub.getCommandSpec().options()) {
                if (o.usageHelp() || o.versionHelp() || o.group() != null) {
                    continue;
                }
                OptionTable row = OptionTable.forFlag(o.longestName()).orElse(null);
                if (row == null) {
                    assertTrue(!ACTION_COMMANDS.contains(sub.getCommandName()), sub.getCommandName() + " " + o.longestName() + " has no row");
                    continue;
                }
                if (!ACTION_COMMANDS.contains(sub.getCommandName()) && o.defaultValue() != null) {
                    continue; // a command outside the action that means something else by the flag says so itself (validate --litellm-version: unknown)
                }
                used.add(row);
                assertEquals(row.cliDescription(), String.join(" ", o.description()), o.longestName() + " takes its text from the table");
                assertNull(o.defaultValue(), o.longestName() + ": no default in the annotation, the table's is used");
                if (o.arity().max() > 0) {
                    assertEquals(row.defaultValue(), new OptionTableDefaults(Map.of()).defaultValue(o), o.longestName());
                    assertTrue(sub.getCommandSpec().defaultValueProvider() instanceof OptionTableDefaults, sub.getCommandName());
                }
            }
        }
        for (OptionTable row : OptionTable.values()) {
            if (row.flag() != null) {
                assertTrue(used.contains(row), row + ": no command has " + row.flag());
                assertTrue(row.input() != null ^ row.notInAction() != null, row + ": an action input, or the reason it has none");
            } else {
                assertNotNull(row.input(), row.name());
                assertNotNull(row.cliEquivalent(), row + ": what the CLI does instead");
            }
        }
        // the options of build that are in an argument group: the action's templates, secrets and config stand for them
        CommandLine build = top.getSubcommands().get("build");
        for (OptionSpec o : build.getCommandSpec().options()) {
            if (o.group() != null) {
                assertTrue(Arrays.stream(OptionTable.values()).anyMatch(r -> ("build " + o.longestName()).equals(r.cliEquivalent())),
                        o.longestName());
            }
        }
    }

    @Test
    void theLibrarysOwnDefaultsAreTheTables() {
        DurationConverter d = new DurationConverter();
        DeploySettings lib = DeploySettings.defaults();
        assertEquals(lib.readyTimeout(), d.convert(OptionTable.READY_TIMEOUT.defaultValue()));
        assertEquals(lib.lockTimeout(), d.convert(OptionTable.LOCK_TIMEOUT.defaultValue()));
        assertEquals(lib.commandTimeout(), d.convert(OptionTable.COMMAND_TIMEOUT.defaultValue()));
        assertEquals(lib.settle(), d.convert(OptionTable.SETTLE.defaultValue()));
        assertEquals(lib.blueGreen().drainTimeout(), d.convert(OptionTable.DRAIN_TIMEOUT.defaultValue()));
        assertEquals(lib.blueGreen().keepOld(), d.convert(OptionTable.KEEP_OLD.defaultValue()));
        assertEquals(Integer.toString(lib.keepReleases()), OptionTable.KEEP_RELEASES.defaultValue());
        assertEquals(Integer.toString(lib.parallelism()), OptionTable.PARALLEL.defaultValue());
        assertEquals(Boolean.toString(lib.rolling()), OptionTable.ROLLING.defaultValue());
        assertEquals(lib.strategy(), DeploySettings.Strategy.parse(OptionTable.STRATEGY.defaultValue()));
        assertEquals(UvSource.official().installerUrl(), OptionTable.UV_INSTALLER_URL.defaultValue());
        assertNull(lib.sudoHelper());
        SshSettings ssh = new SshSettings("root", "key", null, HostKeyPolicy.fingerprint(), null, null);
        assertEquals(ssh.connectTimeout(), d.convert(OptionTable.CONNECT_TIMEOUT.defaultValue()));
        BundleOptions bundle = BundleOptions.defaults();
        assertEquals(bundle.litellmVersion(), OptionTable.LITELLM_VERSION.defaultValue());
        assertEquals(Boolean.toString(bundle.envFileMode()), OptionTable.ENV_FILE.defaultValue());
        assertEquals(Boolean.toString(bundle.allowNoAuth()), OptionTable.ALLOW_NO_AUTH.defaultValue());
        assertEquals(Duration.ofMinutes(10), d.convert(OptionTable.READY_TIMEOUT.defaultValue()), "the first start downloads Python");
    }

    /** action.yml's inputs, as the table says. */
    static String inputsBlock() {
        StringBuilder y = new StringBuilder("inputs:\n");
        for (OptionTable row : OptionTable.inputs()) {
            y.append("  ").append(row.input()).append(":\n");
            y.append("    description: ").append(scalar(row.inputDescription(), 6)).append('\n');
            y.append("    required: ").append(row.required()).append('\n');
            if (row.defaultValue() != null) {
                y.append("    default: '").append(row.defaultValue().replace("'", "''")).append("'\n");
            }
        }
        return y.toString();
    }

    /** A YAML scalar: plain when that is safe, else single-quoted; long texts folded (>-) at about 118 columns. */
    private static String scalar(String text, int indent) {
        if (text.length() > 110) {
            StringBuilder out = new StringBuilder(">-");
            StringBuilder line = new StringBuilder();
            for (String word : text.split(" ")) {
                if (line.length() > 0 && line.length() + 1 + word.length() > 118 - indent) {
                    out.append('\n').append(" ".repeat(indent)).append(line);
                    line.setLength(0);
                }
                line.append(line.length() > 0 ? " " : "").append(word);
            }
            return out.append('\n').append(" ".repeat(indent)).append(line).toString();
        }
        boolean plain = !text.matches("^[-?:,\\[\\]{}#&*!|>'\"%@`].*") && !text.contains(": ") && !text.contains(" #")
                && !text.endsWith(":") && new Yaml().load(text) instanceof String s && s.equals(text);
        return plain ? text : "'" + text.replace("'", "''") + "'";
    }
}
