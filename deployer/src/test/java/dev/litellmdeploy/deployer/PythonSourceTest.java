package dev.litellmdeploy.deployer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.litellmdeploy.deployer.bundle.Bundle;
import dev.litellmdeploy.deployer.bundle.SecretRegistry;
import dev.litellmdeploy.deployer.remote.Helper;
import dev.litellmdeploy.deployer.remote.RemoteCommandException;
import dev.litellmdeploy.deployer.remote.RemoteHost;

/**
 * {@code --python-index} / {@code --python-install-mirror} (fast; RealLiteLlmIndexTest is the real one): credentials come off
 * the URL, join the secret registry and become netrc lines; no message shows them; they reach env-build only on the lock's
 * channel, never a command line; a plan shows the URL without them.
 */
class PythonSourceTest {
    private static final String PW = "sk-fake-p/w+d";

    @TempDir
    Path work;

    @Test
    void aUrlsCredentialsComeOffAreMaskedAndBecomeOneNetrcLinePerHost() {
        PythonSource s = PythonSource.of("https://ci%40corp:sk-fake-p%2Fw+d@pypi.corp.example:8443/simple/",
                "https://ci%40corp:sk-fake-p%2Fw+d@pypi.corp.example:8443/python-build-standalone");
        assertEquals("https://pypi.corp.example:8443/simple/", s.index().url());
        assertEquals("https://pypi.corp.example:8443/python-build-standalone", s.mirror().url());
        assertEquals("machine pypi.corp.example login ci@corp password " + PW + "\n", s.netrc(), "one line per host");
        assertTrue(SecretRegistry.global().values().contains(PW), "the password joins the registry every output masks with");
        assertFalse(s.describe().contains(PW), s.describe());
        assertEquals("from the index https://pypi.corp.example:8443/simple/ (with credentials), Python from the mirror"
                + " https://pypi.corp.example:8443/python-build-standalone (with credentials)", s.describe());
        assertEquals("", PythonSource.of("http://127.0.0.1:3141/root/pypi/+simple/", null).netrc(), "no credentials, no netrc");
        assertTrue(PythonSource.of(null, " ").isDefault());
    }

    @Test
    void aBadUrlIsRefusedNamingTheOptionWithoutShowingItsCredentials() {
        for (String bad : List.of("ftp://u:sk-fake-secret-1@host/simple/", "https://u:sk-fake-secret-1@host/simple/?x=1",
                "https://u:sk-fake secret-1@host/simple/", "https://sk-fake-secret-1@host/simple/", "https://u:sk-fake\"secret-1@host/")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PythonSource.of(bad, null), bad);
            assertTrue(e.getMessage().startsWith("--python-index "), e.getMessage());
            assertFalse(e.getMessage().contains("secret-1"), e.getMessage());
        }
        IllegalArgumentException two = assertThrows(IllegalArgumentException.class,
                () -> PythonSource.of("https://a:sk-fake-one-1@h.example/simple/", "https://b:sk-fake-two-2@h.example/mirror"));
        assertEquals("--python-index and --python-install-mirror give different credentials for h.example; uv takes one per host", two.getMessage());
    }

    @Test
    void aCredentialIsNeverSentOnACommandLineOnlyOnTheLocksChannel() throws Exception {
        InProcessHost host = new InProcessHost("idx-host");
        RemoteHost plain = host.open(); // a connection of its own: each verb would be a command line (sudo helper VERB ARGS)
        RemoteCommandException e = assertThrows(RemoteCommandException.class, () -> new Helper(plain, Duration.ofSeconds(5))
                .envBuild("r1", "0".repeat(64), "https://h.example/simple/", "", "machine h.example login u password " + PW));
        assertTrue(e.getMessage().contains("sent only over the deploy lock's channel"), e.getMessage());
        assertFalse(host.calls().contains("env-build"), "nothing was sent: " + host.calls());

        // the in-process host's lock reads no requests (like a helper before protocol 3): every verb is a command line of its own
        Bundle locked = Fixtures.lockedBundle(work.resolve("locked"), Fixtures.lockText("1.80.9", "idx"), Map.of());
        StringBuilder shown = new StringBuilder();
        HostResult refused = deploy(host, locked, PythonSource.of("https://u:sk-fake-p%2Fw+d@h.example/simple/", null), shown);
        assertEquals(HostResult.Outcome.FAILED_NOTHING_CHANGED, refused.outcome(), refused.message());
        assertTrue(refused.message().contains("sent only over the deploy lock's channel"), refused.message());
        assertFalse(host.calls().contains("env-build"), "nothing was sent: " + host.calls());
        assertTrue(shown.toString().contains("from the index https://h.example/simple/ (with credentials)"), shown.toString());
        assertFalse(shown.toString().contains(PW), shown.toString());

        HostResult open = deploy(host, locked, PythonSource.of("https://h.example/simple/", null), shown);
        assertEquals(HostResult.Outcome.SUCCESS, open.outcome(), open.message());
        assertEquals("index https://h.example/simple/ mirror ", host.envSource(PythonEnv.namedBy(locked, RemoteLayout.defaults())),
                "an index without credentials needs no private channel");
    }

    private HostResult deploy(InProcessHost host, Bundle bundle, PythonSource source, StringBuilder shown) throws Exception {
        DeploySettings settings = Fixtures.settings(work.resolve("uv")).withReadyTimeout(Duration.ofSeconds(1)).withPython(source);
        return new Deployer(InProcessHost.connector(host), settings, Fixtures.checked(new DeployListener() {
            @Override
            public void planned(DeploymentPlan plan) {
                shown.append(plan);
            }
        }), FailurePathTest.CLOCK).deploy(bundle, List.of(host.target())).hosts().get(0);
    }
}
