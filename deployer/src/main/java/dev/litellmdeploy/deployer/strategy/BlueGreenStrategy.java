package dev.litellmdeploy.deployer.strategy;

import java.util.ArrayList;
import java.util.List;

import dev.litellmdeploy.deployer.BlueGreenState;
import dev.litellmdeploy.deployer.DeploySettings;
import dev.litellmdeploy.deployer.HostState;
import dev.litellmdeploy.deployer.bundle.Bundle;
import dev.litellmdeploy.deployer.steps.BlueGreen;
import dev.litellmdeploy.deployer.steps.Phase;
import dev.litellmdeploy.deployer.steps.Service;
import dev.litellmdeploy.deployer.steps.Step;
import dev.litellmdeploy.deployer.steps.Undo;
import dev.litellmdeploy.deployer.steps.Undoing;

/**
 * Zero-downtime: the new release starts in the idle color on its own loopback port while the live color serves; once it
 * is ready and serves the bundle's models, nginx switches to it (a graceful reload) and the public port must then serve
 * them too; the release is recorded; then the old color drains and retires (after a grace period a rollback is a switch
 * back). Before the switch a failure stops the idle color (it never received traffic); after it, the switch is undone:
 * back to the old color, or, on a host moving from restart, back to the single service.
 */
public final class BlueGreenStrategy implements Strategy {

    @Override
    public List<Step> deploy(Facts f) {
        BlueGreenState bg = f.state().blueGreen();
        DeploySettings.BlueGreen knobs = f.settings().blueGreen();
        int publicPort = f.port();
        List<Step> steps = new ArrayList<>();
        if (f.drift().drifted()) {
            // the live color's files are put right on disk now (its process keeps serving what it loaded, until it retires after the
            // switch below); the idle color's are written by its start
            List<String> reinstall = bg.deployed() && !f.drift().files(bg.live()).isEmpty() ? List.of(bg.live()) : List.of();
            steps.add(new Service.RepairDrift(f.release(), reinstall, f.drift().audit().replace("drift repaired: ", ""), null));
        }
        if (f.restartReason() == null) {
            steps.add(new Service.WaitReady("wait-ready", publicPort, bg.live()));
            steps.add(new Service.VerifyModels(publicPort));
            steps.add(new Service.RecordNoop(f.release()));
            return steps;
        }
        String idle = bg.idle();
        String old = bg.deployed() && bg.running(bg.live()) ? bg.live() : null;
        boolean fromSingle = !bg.deployed() && f.state().active();
        String still = old != null ? "The live color " + old + " (" + bg.releaseOf(old) + ") kept serving."
                : fromSingle ? "The running service kept serving." : "Nothing was serving before, and nothing is now.";
        List<String> smoke = f.settings().smoke().modelsFor(f.bundle());
        start(steps, f.release(), idle, knobs.port(idle, publicPort), f.settings(), smoke, still);
        steps.add(new BlueGreen.Switch(idle, publicPort, knobs.port(idle, publicPort), switchUndo(f, old, fromSingle)));
        steps.add(new BlueGreen.VerifyProxy(publicPort));
        smokeThrough(steps, publicPort, smoke);
        steps.add(new Service.Record(f.release(), f.recordResult("success (" + idle + " live)"), Undos.recordBack(f.restored())));
        long drain = Math.max(1, knobs.drainTimeout().toSeconds());
        if (old != null) {
            steps.add(new BlueGreen.Drain(old, drain));
            steps.add(new BlueGreen.Retire(old, knobs.keepOld().toSeconds()));
        } else if (fromSingle) {
            steps.add(new BlueGreen.DrainSingle(f.settings().layout().unitName(), drain));
        }
        return steps;
    }

    /** After the switch: back to the old color (still running: it retires after the commit), the single service, or nothing. */
    private static Undo switchUndo(Facts f, String old, boolean fromSingle) {
        if (old != null) {
            return new Undo(Undo.Restores.PREVIOUS, new Undoing.SwitchBack(old), "Switched back to " + old + " ("
                    + f.state().blueGreen().releaseOf(old) + "), which kept running.");
        }
        BlueGreen.Leave leave = new BlueGreen.Leave(Phase.UNDO, null);
        if (fromSingle) {
            return Undos.restoreSingle(f.restored(), f.port(), f.settings().layout().unitName(), List.of(leave));
        }
        return new Undo(Undo.Restores.STOPPED, leave, "Nothing ran here before; the proxy site and the colors were removed.");
    }

    @Override
    public List<Step> rollback(String to, HostState state, Bundle release, DeploySettings settings) {
        BlueGreenState bg = state.blueGreen();
        DeploySettings.BlueGreen knobs = settings.blueGreen();
        int publicPort = release.manifest().port();
        String live = bg.live();
        String other = BlueGreenState.other(live);
        List<Step> steps = new ArrayList<>();
        if (!(to.equals(bg.releaseOf(other)) && bg.running(other))) {
            start(steps, to, other, knobs.port(other, publicPort), settings, settings.smoke().modelsFor(release),
                    "The live color " + live + " (" + bg.releaseOf(live) + ") kept serving.");
        }
        steps.add(new BlueGreen.Switch(other, publicPort, knobs.port(other, publicPort),
                new Undo(Undo.Restores.PREVIOUS, new Undoing.SwitchBack(live), "Switched back to " + live + " (" + bg.releaseOf(live) + "), which kept running.")));
        steps.add(new BlueGreen.VerifyProxy(publicPort));
        smokeThrough(steps, publicPort, settings.smoke().modelsFor(release));
        steps.add(new Service.Record(to, "rollback (blue-green)", Undos.recordBack(state.currentRelease())));
        steps.add(new BlueGreen.Drain(live, Math.max(1, knobs.drainTimeout().toSeconds())));
        steps.add(new BlueGreen.Retire(live, knobs.keepOld().toSeconds()));
        return steps;
    }

    /** Once more through the public port after the switch (the proxy in front routes to the new color): the first model only. */
    private static void smokeThrough(List<Step> steps, int publicPort, List<String> smoke) {
        if (!smoke.isEmpty()) {
            steps.add(new Service.Smoke(publicPort, smoke.subList(0, 1)));
        }
    }

    /** Starts a release in a color and proves it there: ready, serving the bundle's models, (settle) staying up. */
    private static void start(List<Step> steps, String release, String color, int port, DeploySettings settings, List<String> smoke,
            String still) {
        steps.add(new BlueGreen.StartColor(release, color, port, new Undo(Undo.Restores.NOTHING_SERVED, new Undoing.StopColor(color),
                "The new release never received traffic (" + color + " stopped). " + still)));
        steps.add(new Service.WaitReady(port));
        steps.add(new Service.VerifyModels(port));
        if (!smoke.isEmpty()) {
            steps.add(new Service.Smoke(port, smoke)); // the new color, before any traffic moves
        }
        if (!settings.settle().isZero()) {
            steps.add(new Service.Settle(settings.settle().toMillis()));
        }
    }
}
