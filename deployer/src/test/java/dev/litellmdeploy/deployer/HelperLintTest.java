package dev.litellmdeploy.deployer;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.litellmdeploy.testsupport.MachinePreparation;

/**
 * The root helper passes shellcheck (Debian's package; tools/prepare-host installs it as root on Debian): every
 * helper-*.sh on its own, as a developer lints the file they edit, and the helper as rendered for the default layout,
 * restricted and not, where every variable is defined, so a misspelled {@code LD_*} name fails too
 * ({@code check-unassigned-uppercase}). A finding fails the test with shellcheck's own report.
 */
class HelperLintTest {
    static final Path SOURCES = Path.of("src/main/resources/dev/litellmdeploy/deployer");
    static final String INSTALL = "shellcheck is not installed, and the root helper is linted with it. Install it: "
            + "`sudo apt-get install shellcheck` (Debian/Ubuntu; tools/prepare-host does this when run as root), "
            + "`brew install shellcheck` (macOS), or see https://github.com/koalaman/shellcheck#installing";

    @TempDir
    Path work;

    @BeforeAll
    static void shellcheckIsThere() {
        MachinePreparation.ensureShellcheck();
        try {
            Process p = new ProcessBuilder("shellcheck", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                fail(INSTALL);
            }
        } catch (IOException e) {
            fail(INSTALL + " (" + e.getMessage() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail("interrupted");
        }
    }

    @Test
    void everyHelperFilePassesShellcheckOnItsOwn() throws Exception {
        List<Path> files;
        try (Stream<Path> s = Files.list(MachinePreparation.projectRoot().resolve("deployer").resolve(SOURCES))) {
            files = s.filter(p -> p.getFileName().toString().matches("helper-.*\\.sh")).sorted().toList();
        }
        assertFalse(files.isEmpty(), "no helper-*.sh in " + SOURCES);
        for (Path f : files) {
            assertClean(f);
        }
    }

    @ParameterizedTest(name = "restricted={0}")
    @ValueSource(booleans = {false, true})
    void theRenderedHelperPassesShellcheckWithEveryVariableDefined(boolean restricted) throws Exception {
        String helper = HelperScript.render(RemoteLayout.defaults(), restricted);
        Path file = work.resolve(restricted ? "litellm-deploy-helper.restricted" : "litellm-deploy-helper.inline");
        Files.writeString(file, helper);
        assertClean(file, "--enable=check-unassigned-uppercase");
    }

    private static void assertClean(Path file, String... options) throws Exception {
        List<String> command = new ArrayList<>(List.of("shellcheck", "--norc", "--color=never"));
        command.addAll(List.of(options));
        command.add(file.toString());
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String report = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("shellcheck did not finish within 60 s on " + file);
        }
        if (p.exitValue() != 0) {
            fail(String.join(" ", command) + " found (exit " + p.exitValue() + "):\n" + report);
        }
    }
}
