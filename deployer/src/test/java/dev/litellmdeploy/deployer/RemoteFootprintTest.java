package dev.litellmdeploy.deployer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import dev.litellmdeploy.deployer.bundle.Bundle;
import dev.litellmdeploy.testsupport.MachinePreparation;
import dev.litellmdeploy.testsupport.TestHost;

/**
 * What a deploy leaves on the server: the unit's exposure by `systemd-analyze security` against
 * the seed's unit (written to target/systemd-analyze-security.txt for docs/security.md), and no
 * secret value in /tmp, in any process's arguments, or anywhere in the journal, in env-file mode
 * and inline mode.
 */
class RemoteFootprintTest {
    private static final Pattern EXPOSURE = Pattern.compile("Overall exposure level for (\\S+): ([0-9.]+) (\\S+)");

    @RegisterExtension
    static final TestHost host = new TestHost();

    @TempDir
    static Path work;

    static Bundle inline;
    static Bundle envFile;

    @BeforeAll
    static void deployBothModes() throws Exception {
        inline = Fixtures.exampleBundle(work.resolve("inline"));
        envFile = Fixtures.exampleEnvFileBundle(work.resolve("env-file"));
        Deployer deployer = new Deployer(Fixtures.ssh(host, TestHost.SUDO_USER), Fixtures.settings(work.resolve("uv")), Fixtures.LEAK_CHECKED);
        for (Bundle b : List.of(inline, envFile)) {
            HostResult r = deployer.deploy(b, Fixtures.targets(host)).hosts().get(0);
            assertEquals(HostResult.Outcome.SUCCESS, r.outcome(), r.message());
        }
    }

    @Test
    void theUnitIsFarLessExposedThanTheSeedsAndTheStandInServesUnderIt() throws Exception {
        host.exec("echo " + java.util.Base64.getEncoder().encodeToString(Files.readAllBytes(
                MachinePreparation.projectRoot().resolve("deployer/src/test/resources/seed/litellm.service")))
                + " | base64 -d > /etc/systemd/system/seed-litellm.service && systemctl daemon-reload");
        String seed = host.exec("systemd-analyze security --no-pager seed-litellm.service");
        String ours = host.exec("systemd-analyze security --no-pager litellm.service");
        double seedExposure = exposure(seed);
        double ourExposure = exposure(ours);
        Path report = MachinePreparation.projectRoot().resolve("deployer/target/systemd-analyze-security.txt");
        Files.writeString(report, "seed unit: " + seedExposure + "\nlitellm-deploy unit: " + ourExposure + "\n\n--- seed\n" + seed
                + "\n--- litellm-deploy\n" + ours);
        System.out.println("systemd-analyze security: seed " + seedExposure + ", litellm-deploy " + ourExposure + " (details: " + report + ")");
        assertTrue(ourExposure < seedExposure - 3, "seed " + seedExposure + " vs ours " + ourExposure);
        assertTrue(ourExposure <= 3.0, "exposure " + ourExposure + ":\n" + ours);
        assertEquals("active", host.exec("systemctl is-active litellm.service").strip(), "the stand-in runs under every setting");
    }

    @Test
    void noSecretInTmpProcessArgumentsOrTheJournal() {
        List<String> secrets = new ArrayList<>(inline.secrets());
        secrets.addAll(envFile.secrets());
        assertTrue(secrets.size() >= 3, secrets.size() + " secrets");
        String tmp = host.exec("cat $(find /tmp /var/tmp /dev/shm -type f 2>/dev/null) /dev/null 2>/dev/null || true");
        String args = host.exec("for p in /proc/[0-9]*; do tr '\\0' ' ' < $p/cmdline 2>/dev/null; echo; done");
        String journal = host.exec("journalctl --no-pager -o cat");
        assertTrue(args.contains("litellm"), "the service's process is listed");
        for (String secret : secrets) {
            assertTrue(!tmp.contains(secret), "a secret in /tmp");
            assertTrue(!args.contains(secret), "a secret in a process's arguments");
            assertTrue(!journal.contains(secret), "a secret in the journal");
        }
    }

    private static double exposure(String analysis) {
        Matcher m = EXPOSURE.matcher(analysis);
        assertTrue(m.find(), analysis);
        return Double.parseDouble(m.group(2));
    }
}
