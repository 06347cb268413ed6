package dev.litellmdeploy.deployer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.litellmdeploy.deployer.bundle.Bundle;

/** The local wheelhouse: what is uploaded, its content digest, and the bundle it belongs to (no host). */
class WheelhouseTest {
    @TempDir
    Path work;

    private Path wheelhouse(String name, String... files) throws Exception {
        Path dir = Files.createDirectories(work.resolve(name));
        for (String f : files) {
            Files.writeString(dir.resolve(f), "content of " + f);
        }
        return dir;
    }

    @Test
    void theDigestIsTheSha256OfTheSortedChecksumListAndMarkersStayBehind() throws Exception {
        Wheelhouse w = Wheelhouse.read(wheelhouse("w", "zeta-1.0-py3-none-any.whl", "alpha-2.0-cp311-manylinux_2_17_x86_64.whl",
                "requirements.txt", "requirements.in", ".complete"));
        String list = Bundle.sha256("content of alpha-2.0-cp311-manylinux_2_17_x86_64.whl".getBytes(StandardCharsets.UTF_8))
                + "  alpha-2.0-cp311-manylinux_2_17_x86_64.whl\n" + Bundle.sha256("content of requirements.txt".getBytes(StandardCharsets.UTF_8))
                + "  requirements.txt\n" + Bundle.sha256("content of zeta-1.0-py3-none-any.whl".getBytes(StandardCharsets.UTF_8))
                + "  zeta-1.0-py3-none-any.whl\n";
        assertEquals(list, w.checksums());
        assertEquals(Bundle.sha256(list.getBytes(StandardCharsets.UTF_8)), w.digest());
        assertEquals(Map.of("UV_OFFLINE", "1", "UV_FIND_LINKS", "/var/lib/litellm-deploy/wheelhouses/" + w.digest().substring(0, 12),
                "UV_PYTHON_DOWNLOADS", "never"), w.unitEnvironment(RemoteLayout.defaults()));
    }

    @Test
    void aWheelhouseWithAnythingButWheelsAndRequirementsIsRefused() throws Exception {
        for (String stray : new String[] {"install.sh", "litellm-1.0.tar.gz", "-x.whl"}) {
            Path dir = wheelhouse("stray-" + stray.hashCode(), "a-1.0-py3-none-any.whl", stray);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Wheelhouse.read(dir));
            assertTrue(e.getMessage().contains(stray), e.getMessage());
        }
        Path sub = wheelhouse("sub", "a-1.0-py3-none-any.whl");
        Files.createDirectories(sub.resolve("nested.whl"));
        assertThrows(IllegalArgumentException.class, () -> Wheelhouse.read(sub));
        assertThrows(IllegalArgumentException.class, () -> Wheelhouse.read(wheelhouse("none", "requirements.txt")));
    }

    @Test
    void aDeployRefusesAWheelhouseThatIsNotTheOneTheBundleWasBuiltWith() throws Exception {
        Wheelhouse built = Wheelhouse.read(wheelhouse("built", "a-1.0-py3-none-any.whl"));
        Wheelhouse other = Wheelhouse.read(wheelhouse("other", "a-1.1-py3-none-any.whl"));
        Bundle with = Fixtures.exampleBundle(work.resolve("with"), Map.of(), built.unitEnvironment(RemoteLayout.defaults()));
        Bundle without = Fixtures.exampleBundle(work.resolve("without"));
        assertEquals(built.shortDigest(), Wheelhouse.namedBy(with, RemoteLayout.defaults()));
        assertNull(Wheelhouse.namedBy(without, RemoteLayout.defaults()));
        WheelhouseUpload.checkMatches(with, DeploySettings.defaults().withWheelhouse(built));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> WheelhouseUpload.checkMatches(with, DeploySettings.defaults().withWheelhouse(other))).getMessage().contains(built.shortDigest()));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> WheelhouseUpload.checkMatches(without, DeploySettings.defaults().withWheelhouse(built))).getMessage()
                .contains("built without it"));
    }
}
