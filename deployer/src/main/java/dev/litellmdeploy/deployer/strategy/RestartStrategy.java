package dev.litellmdeploy.deployer.strategy;

import java.util.ArrayList;
import java.util.List;

import dev.litellmdeploy.deployer.DeploySettings;
import dev.litellmdeploy.deployer.HostState;
import dev.litellmdeploy.deployer.bundle.Bundle;
import dev.litellmdeploy.deployer.steps.BlueGreen;
import dev.litellmdeploy.deployer.steps.Phase;
import dev.litellmdeploy.deployer.steps.Service;
import dev.litellmdeploy.deployer.steps.Step;
import dev.litellmdeploy.deployer.steps.Undo;

/**
 * One service on the public port, restarted in place: install the changed files, leave blue-green if the host was on it,
 * restart, prove ready and serving, record. Every step that changes the service undoes to the release that ran before
 * (reinstalled and proven ready), the adopted setup, or, on a first deploy, a stopped service.
 */
public final class RestartStrategy implements Strategy {

    @Override
    public List<Step> deploy(Facts f) {
        HostState state = f.state();
        Undo restore = Undos.restoreSingle(f.restored(), f.port(), f.settings().layout().unitName(), List.of());
        List<Step> steps = new ArrayList<>();
        if (f.drift().drifted()) {
            steps.add(new Service.RepairDrift(f.release(), List.of(), f.drift().audit().replace("drift repaired: ", ""), restore));
        }
        if (f.restartReason() == null && f.changed().isEmpty() && state.enabled()) {
            steps.add(new Service.WaitReady(f.port()));
            steps.add(new Service.VerifyModels(f.port()));
            steps.add(f.release().equals(state.currentRelease()) ? new Service.RecordNoop(f.release())
                    : new Service.Record(f.release(), "success", Undos.recordBack(f.restored())));
            return steps;
        }
        if (!f.changed().isEmpty() || !state.enabled()) {
            steps.add(new Service.Install(f.release(), f.changed(), f.changed().contains(Bundle.UNIT), !state.enabled(), restore));
        }
        if (state.blueGreen().deployed()) {
            steps.add(new BlueGreen.Leave(Phase.CHANGE, restore));
        }
        if (f.restartReason() != null) {
            steps.add(new Service.Restart(f.restartReason(), restore));
        }
        proveAndRecord(steps, f.port(), f.settings(), f.settings().smoke().modelsFor(f.bundle()), f.release(), f.recordResult("success"),
                f.restored());
        return steps;
    }

    @Override
    public List<Step> rollback(String to, HostState state, Bundle release, DeploySettings settings) {
        int port = release.manifest().port();
        Undo restore = Undos.restoreSingle(state.currentRelease(), port, settings.layout().unitName(), List.of());
        List<Step> steps = new ArrayList<>();
        steps.add(new Service.SwitchRelease(to, new Undo(restore.restores(), restore.steps(),
                restore.says().replace("Rolled back to", "Restored"))));
        proveAndRecord(steps, port, settings, settings.smoke().modelsFor(release), to, "rollback", state.currentRelease());
        return steps;
    }

    private static void proveAndRecord(List<Step> steps, int port, DeploySettings settings, List<String> smoke, String release, String result,
            String restored) {
        steps.add(new Service.WaitReady(port));
        steps.add(new Service.VerifyModels(port));
        if (!smoke.isEmpty()) {
            steps.add(new Service.Smoke(port, smoke));
        }
        if (!settings.settle().isZero()) {
            steps.add(new Service.Settle(settings.settle().toMillis()));
        }
        steps.add(new Service.Record(release, result, Undos.recordBack(restored)));
    }
}
