package dev.litellmdeploy.cli;

import java.util.ArrayList;
import java.util.List;

import dev.litellmdeploy.deployer.Drift;
import dev.litellmdeploy.deployer.HostStatus;

/**
 * {@code status --check}: what is wrong with one host, from its status alone (pure). A host passes when it could be read,
 * nothing drifted, it is ready, and (when a release is expected) it runs that release, named by its id or its bundle id.
 */
public final class StatusCheck {
    private StatusCheck() {
    }

    /** The problems of one host, each a short sentence (empty: it passes). */
    public static List<String> problems(HostStatus s, String expected) {
        List<String> out = new ArrayList<>();
        if (s.error() != null) {
            out.add("could not be read: " + s.error());
            return out;
        }
        if (s.drift() != null && s.drift().drifted()) {
            out.add("drifted from its recorded release: " + s.drift().summary());
            if (s.drift().items().stream().anyMatch(i -> i.kind() == Drift.Kind.HELPER)) {
                return out; // nothing else was read from another helper
            }
        }
        if (s.release() == null) {
            out.add("runs no release of litellm-deploy");
        } else if (!s.ready()) {
            out.add("is not ready (service " + s.activeState() + ")");
        }
        if (expected != null && !expected.isBlank() && !expected.equals(s.release()) && !expected.equals(s.bundleId())) {
            out.add("runs " + (s.release() == null ? "nothing" : s.release() + " (bundle " + s.bundleId() + ")") + ", expected " + expected);
        }
        return out;
    }
}
