package dev.litellmdeploy.deployer;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;


import dev.litellmdeploy.deployer.remote.RemoteCommandException;

/**
 * A host that runs the configured unit without litellm-deploy (the seed's hand-made setup, or any other): the first deploy
 * saves what it would change as release {@value #ID} before it changes anything (the helper's {@code adopt}: unit, config
 * and env file byte for byte with modes and owners, the enabled and active state), and a failure, or a later
 * {@code rollback}, puts exactly that back ({@code restore-adopted}) and proves it running if it was.
 */
final class Adoption {
    /** The adopted setup's release id: sorts before every dated release, and is never pruned. */
    static final String ID = "0-adopted";

    /** What the helper's {@code state} found: the unit's file and its drop-ins, or null (nothing to adopt, or already managed). */
    record Found(String unitFile, String dropIns) {
        static Found parse(Map<String, String> stateValues) {
            String unit = stateValues.get("adopt_unit");
            return unit == null || unit.isBlank() ? null : new Found(unit, stateValues.getOrDefault("adopt_dropins", "").strip());
        }

        /** What a plan says about it. */
        String planNote(RemoteLayout layout) {
            return "adopting the existing " + layout.unitName() + " (not managed by litellm-deploy): it is saved as release " + ID
                    + " and restored if this deploy fails" + (dropIns.isEmpty() ? "" : "; its drop-ins (" + dropIns + ") apply to the new unit too");
        }
    }

    private final HostDeployment d;

    Adoption(HostDeployment deployment) {
        this.d = deployment;
    }

    /** Saves the existing setup as release 0-adopted and records it as current; changes nothing the service uses. */
    String save() throws DeployFailedException {
        try {
            return d.host().callChecked("saving the existing " + unit(), d.settings().commandTimeout(), "adopt").strip();
        } catch (RemoteCommandException e) {
            String why = d.mask().apply(e.getMessage());
            throw new DeployFailedException("cannot adopt the existing " + unit() + " on " + d.target() + ": " + why
                    + (why.contains("Nothing was changed") ? "" : " Nothing was changed."), false, false, e);
        }
    }

    /** After a failed deploy that adopted (or runs the adopted setup): puts it back; the exception to throw says how that went. */
    DeployFailedException restoreAfterFailure(DeploymentPlan plan, String failed, Exception failure) {
        try {
            String how = d.step("restore-adopted", this::restore);
            d.auditQuietly(plan, "failed; restored the adopted setup " + ID);
            return new DeployFailedException(failed + "\nThe original setup (the " + unit() + " found here before litellm-deploy, release " + ID
                    + ") was restored; " + how, true, true, failure);
        } catch (Exception e) {
            d.auditQuietly(plan, "failed; restoring the adopted setup failed");
            return new DeployFailedException(failed + "\nROLLBACK FAILED: the original setup (release " + ID + ") could not be restored: "
                    + d.mask().apply(String.valueOf(e.getMessage())), true, false, failure);
        }
    }

    /** {@code rollback} (or {@code rollback --to 0-adopted}): back to the adopted setup, then recorded as current. */
    HostResult rollback(HostState state) throws Exception {
        String from = state.currentRelease();
        DeploymentPlan plan = new DeploymentPlan(d.target(), ID, from, List.of("config.yaml", "litellm.service"), false, false, true,
                "rollback to the adopted setup " + ID, List.of("restore-adopted", "wait-ready", "record"), "");
        String how;
        try {
            if (state.blueGreen().deployed()) {
                d.step("leave-blue-green", () -> BlueGreenDeployment.leave(d));
            }
            how = d.step("restore-adopted", this::restore);
        } catch (Exception e) {
            d.auditQuietly(plan, "rollback failed");
            throw new DeployFailedException("rollback of " + d.target() + " to " + ID + " (the original setup) failed: "
                    + d.mask().apply(String.valueOf(e.getMessage())), true, false, e);
        }
        d.step("record", () -> d.record(ID, "rollback"));
        return new HostResult(d.target(), HostResult.Outcome.SUCCESS, plan, ID, List.copyOf(d.timings()),
                "rolled back to " + ID + ", the setup found here before litellm-deploy; " + how);
    }

    /** restore-adopted, then (if it was active) readiness on the port its ExecStart names. */
    private String restore() throws Exception {
        long since = d.remoteNow();
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : d.host().callChecked("restoring the original setup", d.settings().commandTimeout(), "restore-adopted").split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                out.put(line.substring(0, eq), line.substring(eq + 1).strip());
            }
        }
        if (!"yes".equals(out.get("was_active"))) {
            String active = out.getOrDefault("active", "inactive");
            return "it was " + out.getOrDefault("enabled", "not enabled") + " and " + active + " before, and is left "
                    + ("inactive".equals(active) ? "so." : "stopped.");
        }
        int port = (int) HostDeployment.parseLong(out.getOrDefault("port", "4000"));
        d.waitReady(new Readiness(d.host(), port > 0 && port < 65536 ? port : 4000), -1, since);
        return "it is running and ready.";
    }

    private String unit() {
        return d.settings().layout().unitName();
    }
}
