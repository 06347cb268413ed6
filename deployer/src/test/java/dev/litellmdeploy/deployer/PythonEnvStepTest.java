package dev.litellmdeploy.deployer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.litellmdeploy.deployer.bundle.Bundle;

/**
 * The python-env step against the in-process host (fast; RealLiteLlmLockTest is the real one): planned only when the host
 * lacks the lock's environment, a failed build changes nothing and its undo runs, a config-only deploy and a rollback build
 * nothing, a bundle whose unit names another lock than it carries is refused before any host is contacted.
 */
class PythonEnvStepTest {
    @TempDir
    static Path work;

    static Bundle locked;
    static Bundle lockedChanged;
    static DeploySettings settings;

    final InProcessHost host = new InProcessHost("fake-env");

    @BeforeAll
    static void bundles() throws Exception {
        String lock = Fixtures.lockText("1.80.9", "env-step");
        locked = Fixtures.lockedBundle(work.resolve("locked"), lock, Map.of());
        lockedChanged = Fixtures.lockedBundle(work.resolve("locked-changed"), lock, Map.of("FOO", "changed"));
        settings = Fixtures.settings(work.resolve("uv")).withReadyTimeout(Duration.ofSeconds(1));
    }

    private HostResult run(boolean rollback, Bundle bundle) throws Exception {
        List<DeploymentPlan> planned = new ArrayList<>();
        Deployer d = new Deployer(InProcessHost.connector(host), settings, Fixtures.checked(new DeployListener() {
            @Override
            public void planned(DeploymentPlan plan) {
                planned.add(plan);
            }
        }), FailurePathTest.CLOCK);
        HostResult r = (rollback ? d.rollback(List.of(host.target()), null) : d.deploy(bundle, List.of(host.target()))).hosts().get(0);
        if (r.outcome().ok()) {
            assertEquals(planned.get(0).steps(), r.steps().stream().map(StepTiming::step).toList(), "the plan is the program");
        }
        return r;
    }

    private static List<String> executed(HostResult r) {
        return r.steps().stream().map(StepTiming::step).toList();
    }

    @Test
    void aFailedBuildChangesNothingThenTheEnvironmentIsBuiltOnceAndReused() throws Exception {
        String sha = PythonEnv.namedBy(locked, RemoteLayout.defaults());
        host.failOnce("env-build", 6, "ENV-NOT-BUILT: uv could not build the environment of requirements.lock; nothing that runs changed:\n"
                + "  cause: Hash mismatch for `idna==3.20`");
        HostResult failed = run(false, locked);
        assertEquals(HostResult.Outcome.FAILED_NOTHING_CHANGED, failed.outcome(), failed.message());
        assertTrue(failed.message().contains("Hash mismatch for `idna==3.20`"), failed.message());
        assertTrue(executed(failed).contains("drop-python-env"), "its undo ran: " + executed(failed));
        assertEquals(null, host.current());
        assertEquals(Set.of(), host.envs());

        HostResult first = run(false, locked);
        assertEquals(HostResult.Outcome.SUCCESS, first.outcome(), first.message());
        List<String> steps = executed(first);
        assertTrue(steps.indexOf(PythonEnv.STEP) > steps.indexOf("ensure-user") && steps.indexOf(PythonEnv.STEP) < steps.indexOf("install"),
                steps.toString());
        assertEquals(Set.of(sha), host.envs());

        HostResult config = run(false, lockedChanged);
        assertEquals(HostResult.Outcome.SUCCESS, config.outcome(), config.message());
        assertFalse(executed(config).contains(PythonEnv.STEP), "a config-only deploy installs nothing: " + executed(config));

        HostResult back = run(true, null);
        assertEquals(HostResult.Outcome.SUCCESS, back.outcome(), back.message());
        assertFalse(executed(back).contains(PythonEnv.STEP), "a rollback installs nothing: " + executed(back));
        assertEquals(Set.of(sha), host.envs());
    }

    @Test
    void aBundleWhoseUnitNamesAnotherLockIsRefusedBeforeAnyHostIsContacted() throws Exception {
        Bundle other = Fixtures.lockedBundle(work.resolve("other"), Fixtures.lockText("1.80.9", "another"), Map.of());
        Map<String, byte[]> files = new java.util.TreeMap<>(locked.files());
        files.put(PythonEnv.LOCK, other.files().get(PythonEnv.LOCK));
        Bundle mixed = new Bundle(locked.dir(), locked.manifest(), locked.manifestBytes(), files, locked.masterKey(), locked.secrets(),
                locked.declaresMasterKey());
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> PythonEnv.checkLock(mixed, RemoteLayout.defaults()));
        assertTrue(e.getMessage().contains("hashes to"), e.getMessage());
        assertEquals(List.of(), host.calls());
    }
}
