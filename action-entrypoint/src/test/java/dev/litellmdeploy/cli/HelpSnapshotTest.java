package dev.litellmdeploy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import picocli.CommandLine;

/**
 * `--help` of the top command and every subcommand, compared with the checked-in text under
 * src/test/resources/help. After an intended change, regenerate with
 * {@code ./mvnw -pl action-entrypoint test -Dtest=HelpSnapshotTest -Dlitellmdeploy.updateSnapshots=true}.
 */
class HelpSnapshotTest {
    private static final Path SNAPSHOTS = Path.of("src/test/resources/help");

    static List<String> commands() {
        List<String> names = new ArrayList<>(List.of("litellm-deploy"));
        new CommandLine(new LitellmDeployCommand()).getSubcommands().forEach((name, sub) -> {
            if (!sub.getCommandSpec().usageMessage().hidden() && !name.equals("help")) {
                names.add(name);
            }
        });
        return names;
    }

    @ParameterizedTest
    @MethodSource("commands")
    void helpMatchesItsSnapshot(String name) throws IOException {
        CommandLine top = new CommandLine(new LitellmDeployCommand());
        CommandLine cmd = name.equals("litellm-deploy") ? top : top.getSubcommands().get(name);
        cmd.setUsageHelpWidth(100);
        String help = cmd.getUsageMessage(CommandLine.Help.Ansi.OFF);
        Path file = SNAPSHOTS.resolve(name + ".txt");
        if (Boolean.getBoolean("litellmdeploy.updateSnapshots")) {
            Files.createDirectories(SNAPSHOTS);
            Files.writeString(file, help, StandardCharsets.UTF_8);
        }
        assertTrue(Files.exists(file), "no snapshot for " + name + "; generate with -Dlitellmdeploy.updateSnapshots=true");
        assertEquals(Files.readString(file, StandardCharsets.UTF_8), help, name + " --help changed; if intended, regenerate the snapshot");
    }
}
