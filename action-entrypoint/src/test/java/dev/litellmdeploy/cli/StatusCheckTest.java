package dev.litellmdeploy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.litellmdeploy.deployer.Drift;
import dev.litellmdeploy.deployer.HostStatus;
import dev.litellmdeploy.deployer.HostTarget;

/** status --check decides from a host's status alone. */
class StatusCheckTest {
    private static final HostTarget H = new HostTarget("h", 22);

    private static HostStatus status(String release, boolean ready, Drift drift) {
        return new HostStatus(H, release, "b".repeat(64), "rev", "active", 1, ready, List.of("m"), List.of(), null, null, drift);
    }

    @Test
    void aReadyHostWithoutDriftRunningTheExpectedReleaseOrBundlePasses() {
        assertEquals(List.of(), StatusCheck.problems(status("r1", true, Drift.none()), null));
        assertEquals(List.of(), StatusCheck.problems(status("r1", true, Drift.none()), "r1"));
        assertEquals(List.of(), StatusCheck.problems(status("r1", true, Drift.none()), "b".repeat(64)));
    }

    @Test
    void driftNotReadyAndAnotherReleaseEachFail() {
        Drift drift = new Drift(List.of(new Drift.Item(Drift.Kind.DROP_IN, "x.conf", null, "/etc/systemd/system/litellm.service.d/x.conf", 0, 0, "")));
        assertEquals(List.of("drifted from its recorded release: drop-in /etc/systemd/system/litellm.service.d/x.conf (litellm-deploy installs"
                + " none; it changes the unit)", "is not ready (service active)", "runs r1 (bundle " + "b".repeat(64) + "), expected r2"),
                StatusCheck.problems(status("r1", false, drift), "r2"));
        assertEquals(List.of("runs no release of litellm-deploy"), StatusCheck.problems(status(null, false, Drift.none()), null));
    }

    @Test
    void anotherHelperIsDriftAndNothingElseIsClaimed() {
        HostStatus s = new HostStatus(H, null, null, null, "unknown", 0, false, List.of(), List.of(), null, null,
                Drift.helperMismatch("/usr/local/libexec/litellm-deploy-helper", "c".repeat(64)));
        assertEquals(1, StatusCheck.problems(s, "r1").size(), StatusCheck.problems(s, "r1").toString());
    }

    @Test
    void anUnreadableHostFailsWithItsError() {
        HostStatus s = new HostStatus(H, null, null, null, null, 0, false, List.of(), List.of(), "connection refused", null);
        assertEquals(List.of("could not be read: connection refused"), StatusCheck.problems(s, null));
    }
}
