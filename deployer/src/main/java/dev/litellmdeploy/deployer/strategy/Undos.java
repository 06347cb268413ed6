package dev.litellmdeploy.deployer.strategy;

import java.util.List;

import dev.litellmdeploy.deployer.Adoption;

import dev.litellmdeploy.deployer.steps.Phase;
import dev.litellmdeploy.deployer.steps.Service;
import dev.litellmdeploy.deployer.steps.Step;
import dev.litellmdeploy.deployer.steps.Undo;
import dev.litellmdeploy.deployer.steps.Undoing;

/** The undos both strategies share. */
final class Undos {
    private Undos() {
    }

    /**
     * Puts back the single service that ran {@code restored}: the adopted setup, a kept release (reinstalled and proven
     * ready), or nothing (the failed service stops). {@code before}: steps to run first (leaving blue-green).
     */
    static Undo restoreSingle(String restored, int port, String unit, List<Step> before) {
        java.util.List<Step> steps = new java.util.ArrayList<>(before);
        if (restored == null) {
            steps.add(new Undoing.StopService());
            return new Undo(Undo.Restores.STOPPED, steps, "Nothing ran here before; the failed service was stopped and disabled.");
        }
        if (Adoption.ID.equals(restored)) {
            steps.add(new Undoing.RestoreAdopted(Phase.UNDO));
            return new Undo(Undo.Restores.PREVIOUS, steps, "The original setup (the " + unit + " found here before litellm-deploy, release "
                    + Adoption.ID + ") was restored; %s");
        }
        steps.add(new Undoing.Reinstall(restored));
        steps.add(new Service.WaitReady("rollback-ready", port, null));
        return new Undo(Undo.Restores.PREVIOUS, steps, "Rolled back to " + restored + ", which is running and ready.");
    }

    /** A record that failed may have moved the host's current release: it goes back (null: nothing was current). */
    static Undo recordBack(String restored) {
        return restored == null ? null : new Undo(Undo.Restores.BOOKKEEPING, new Undoing.RecordBack(restored), "");
    }
}
