package dev.litellmdeploy.deployer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.litellmdeploy.deployer.bundle.Bundle;

/** What `status` says about a host's Python environment, from its current release and the environments the host holds. */
class PythonEnvStatusTest {
    @TempDir
    static Path work;

    private static final RemoteLayout LAYOUT = RemoteLayout.defaults();

    @Test
    void aLockedReleaseShowsItsLockPrefixTheLitellmItPinsReadyAndHowManyEnvironmentsAreKept() throws Exception {
        Bundle locked = Fixtures.lockedBundle(work.resolve("locked"), Fixtures.lockText("1.80.9", "status"), Map.of());
        String sha = PythonEnv.namedBy(locked, LAYOUT);
        PythonEnvStatus s = PythonEnvStatus.of(locked, LAYOUT, List.of("a".repeat(64), sha));
        assertEquals(new PythonEnvStatus(sha, "1.80.9", true, 2, null), s);
        assertEquals("lock " + sha.substring(0, 12) + " (LiteLLM 1.80.9), READY; 2 environments kept", s.describe());
        PythonEnvStatus sourced = PythonEnvStatus.of(locked, LAYOUT, List.of("a".repeat(64), sha),
                List.of("a".repeat(64) + " index https://other.example.invalid/simple/", sha + " wheelhouse /var/lib/litellm-deploy/wheelhouses/0123456789ab"));
        assertEquals("lock " + sha.substring(0, 12) + " (LiteLLM 1.80.9), READY, built from wheelhouse /var/lib/litellm-deploy/wheelhouses/0123456789ab;"
                + " 2 environments kept", sourced.describe());
    }

    @Test
    void aLockedReleaseWhoseEnvironmentTheHostLacksSaysTheNextDeployBuildsIt() throws Exception {
        Bundle locked = Fixtures.lockedBundle(work.resolve("missing"), Fixtures.lockText("1.108.7", "status-missing"), Map.of());
        String sha = PythonEnv.namedBy(locked, LAYOUT);
        assertEquals("lock " + sha.substring(0, 12) + " (LiteLLM 1.108.7), MISSING: not built on this host; the next deploy of this lock"
                + " builds it; 0 environments kept", PythonEnvStatus.of(locked, LAYOUT, List.of()).describe());
    }

    @Test
    void theUvxUnitIsShownAsUnlocked() throws Exception {
        PythonEnvStatus s = PythonEnvStatus.of(Fixtures.exampleBundle(work.resolve("uvx")), LAYOUT, List.of("b".repeat(64)));
        assertEquals(new PythonEnvStatus(null, null, false, 1, null), s);
        assertEquals("unlocked (uvx); 1 environment kept", s.describe());
    }
}
