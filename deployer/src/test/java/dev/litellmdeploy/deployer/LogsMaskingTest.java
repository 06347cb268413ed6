package dev.litellmdeploy.deployer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import dev.litellmdeploy.testsupport.TestHost;

/**
 * `logs` masks the secrets of every release kept on the host: the journal still holds what an
 * older release printed, so a key rotated out stays hidden after the deploy that replaced it.
 * The keys here are not given to the leak guard: this test writes one into the journal on purpose.
 */
class LogsMaskingTest {
    @RegisterExtension
    static final TestHost host = new TestHost().withoutUv();

    @TempDir
    static Path work;

    private static final String ROTATED_OUT = "sk-fake-rotated-out-key-1111111111";
    private static final String CURRENT = "sk-fake-current-key-2222222222";

    private static String config(String apiKey) {
        return "model_list:\n  - model_name: muffin\n    litellm_params: {model: openai/muffin, api_key: " + apiKey + "}\n"
                + "general_settings: {master_key: sk-fake-master-key-example-0000000000}\n";
    }

    /** A line in the unit's journal, as if the service had printed it (journalctl -u also shows root's lines about the unit). */
    private static void journalLineOfTheService(String message) {
        host.exec("printf 'MESSAGE=%s\\nOBJECT_SYSTEMD_UNIT=litellm.service\\n' '" + message + "' | logger --journald && journalctl --sync");
    }

    @Test
    void aKeyRotatedOutIsMaskedInTheJournalAsLongAsItsReleaseIsKept() throws Exception {
        Deployer deployer = new Deployer(Fixtures.ssh(host, TestHost.ROOT), Fixtures.settings(work.resolve("uv")), Fixtures.LEAK_CHECKED);
        HostResult a = deployer.deploy(Fixtures.configBundle(work.resolve("a"), config(ROTATED_OUT)), Fixtures.targets(host)).hosts().get(0);
        assertEquals(HostResult.Outcome.SUCCESS, a.outcome(), a.message());
        journalLineOfTheService("calling the provider with " + ROTATED_OUT + " (old)");
        HostResult b = deployer.deploy(Fixtures.configBundle(work.resolve("b"), config(CURRENT)), Fixtures.targets(host)).hosts().get(0);
        assertEquals(HostResult.Outcome.SUCCESS, b.outcome(), b.message());
        journalLineOfTheService("calling the provider with " + CURRENT + " (new)");
        assertTrue(host.exec("journalctl -u litellm.service --no-pager").contains(ROTATED_OUT), "the old key is in the unit's journal");

        List<String> lines = new ArrayList<>();
        deployer.logs(Fixtures.target(host), 200, false, lines::add);
        String out = String.join("\n", lines);
        assertFalse(out.contains(ROTATED_OUT), "the rotated-out key is printed in clear:\n" + out.replace(ROTATED_OUT, "[THE OLD KEY]"));
        assertFalse(out.contains(CURRENT), "the current key is printed in clear");
        assertTrue(out.contains("calling the provider with <redacted> (old)"), out);
        assertTrue(out.contains("calling the provider with <redacted> (new)"), out);
    }
}
