package dev.litellmdeploy.deployer;

import java.time.Duration;
import java.util.List;

import dev.litellmdeploy.deployer.bundle.Bundle;
import dev.litellmdeploy.deployer.remote.RemoteCommandException;

/**
 * The blue-green strategy for one host: the new release starts in the idle color on its own
 * loopback port while the live color keeps serving; only once it is ready and serves the bundle's
 * models does nginx switch to it (a graceful reload: requests in flight finish on the old color);
 * the old color drains, then stops (after a grace period, so a rollback is a switch back). A new
 * release that fails before the switch never receives traffic. Uses the host deployment's steps.
 */
final class BlueGreenDeployment {
    private final HostDeployment d;
    private final DeploySettings settings;
    private final DeploySettings.BlueGreen knobs;

    BlueGreenDeployment(HostDeployment deployment) {
        this.d = deployment;
        this.settings = deployment.settings();
        this.knobs = settings.blueGreen();
    }

    /** After upload, uv and user: start idle, prove it, switch, prove the public port, drain, retire, record. */
    HostResult apply(DeploymentPlan plan, HostState state) throws Exception {
        BlueGreenState bg = state.blueGreen();
        Bundle bundle = d.bundle();
        String idle = bg.idle();
        String old = bg.deployed() && bg.running(bg.live()) ? bg.live() : null;
        if (plan.steps().contains("ensure-proxy")) {
            d.step("ensure-proxy", this::ensureProxy);
        }
        try {
            startAndProve(plan.releaseId(), idle, bundle);
        } catch (Exception failure) {
            d.host().call(settings.commandTimeout(), "bg-retire", idle, "0");
            d.markFailed(plan.releaseId());
            d.auditQuietly(plan, "failed before the switch; " + (old != null ? old : "the running service") + " kept serving");
            String still = old != null ? "The live color " + old + " (" + bg.releaseOf(old) + ") kept serving."
                    : state.active() ? "The running service kept serving." : "Nothing was serving before, and nothing is now.";
            throw new DeployFailedException("deploy of " + plan.releaseId() + " to " + d.target() + " failed: "
                    + d.mask().apply(failure.getMessage()) + "\nThe new release never received traffic (" + idle + " stopped). " + still,
                    false, false, failure);
        }
        switchTo(idle, bundle, old);
        if (old != null) {
            drainAndRetire(old, bundle);
        } else if (!bg.deployed() && state.active()) {
            drainSingleService();
        }
        d.step("record", () -> d.record(plan.releaseId(), "success (" + idle + " live)"));
        return new HostResult(d.target(), HostResult.Outcome.SUCCESS, plan, plan.releaseId(), List.copyOf(d.timings()),
                "deployed " + plan.releaseId() + " blue-green: " + idle + " is live" + (old != null ? ", " + old + " drained" : ""));
    }

    /** Puts {@code releaseId} live: a switch back when a running color holds it, else a start in the idle color. */
    HostResult rollbackTo(String releaseId, HostState state, Bundle release) throws Exception {
        BlueGreenState bg = state.blueGreen();
        String live = bg.live();
        String other = BlueGreenState.other(live);
        boolean instant = releaseId.equals(bg.releaseOf(other)) && bg.running(other);
        if (!instant) {
            startAndProve(releaseId, other, release);
        }
        switchTo(other, release, live);
        drainAndRetire(live, release);
        return new HostResult(d.target(), HostResult.Outcome.SUCCESS, null, releaseId, List.copyOf(d.timings()),
                "rolled back to " + releaseId + (instant ? " by switching back to " + other + ", which was still running"
                        : " (started in " + other + ", then switched)"));
    }

    private String ensureProxy() throws Exception {
        List<String> names = new java.util.ArrayList<>();
        for (java.nio.file.Path p : knobs.proxyPackages()) {
            try (java.io.InputStream in = java.nio.file.Files.newInputStream(p)) {
                d.host().upload(in, d.host().stagingDir() + "/" + p.getFileName());
            }
            names.add(p.getFileName().toString());
        }
        String out = d.host().callChecked("installing nginx", settings.commandTimeout().plusMinutes(3), "ensure-proxy",
                names.toArray(String[]::new));
        return out.strip().lines().reduce((a, b) -> b).orElse("") + (names.isEmpty() ? " (from the package mirror)" : " (uploaded packages)");
    }

    /** Starts the release in a color on its loopback port and proves it: ready, serving the bundle's models. */
    private void startAndProve(String releaseId, String color, Bundle bundle) throws Exception {
        int port = knobs.port(color, bundle.manifest().port());
        long[] restart = {-1, 0};
        d.step("start-" + color, () -> {
            String[] lines = d.host().callChecked("starting " + color, settings.commandTimeout(), "bg-start", releaseId, color,
                    Integer.toString(port)).strip().split("\n");
            restart[0] = HostDeployment.parseLong(lines[0]);
            restart[1] = HostDeployment.parseLong(lines[lines.length - 1]) - 1;
            return releaseId + " on 127.0.0.1:" + port;
        });
        d.watch(color);
        try {
            Readiness readiness = new Readiness(d.host(), port);
            d.step("wait-ready", () -> d.waitReady(readiness, restart[0], restart[1]));
            d.step("verify-models", () -> d.verifyModels(readiness));
            if (!settings.settle().isZero()) {
                d.step("settle", () -> d.settle(restart[1]));
            }
        } finally {
            d.watch(null);
        }
    }

    /** nginx sends new requests to {@code color}; the public port must then answer with its models, else it switches back. */
    private void switchTo(String color, Bundle bundle, String old) throws Exception {
        int publicPort = bundle.manifest().port();
        int port = knobs.port(color, publicPort);
        d.step("switch", () -> {
            d.host().callChecked("switching the proxy", settings.commandTimeout(), "bg-switch", color);
            return "public port " + publicPort + " -> " + color + " (127.0.0.1:" + port + ")";
        });
        try {
            d.step("verify-proxy", () -> verifyProxy(bundle, publicPort));
        } catch (Exception failure) {
            if (old != null) {
                d.host().call(settings.commandTimeout(), "bg-switch", old);
            }
            throw new DeployFailedException("the public port did not serve " + color + " after the switch: " + d.mask().apply(failure.getMessage())
                    + (old != null ? "\nSwitched back to " + old + "." : ""), true, old != null, failure);
        }
    }

    /** Through the proxy on the public port: liveliness within 10 s, then the bundle's models. */
    private String verifyProxy(Bundle bundle, int publicPort) throws Exception {
        Readiness proxy = new Readiness(d.host(), publicPort);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        int status = 0;
        while (System.nanoTime() < deadline && (status = proxy.status("/health/liveliness")) != 200) {
            Thread.sleep(100);
        }
        if (status != 200) {
            throw new DeployFailedException("the proxy on port " + publicPort + " answered " + (status == 0 ? "nothing" : status), true, false, null);
        }
        return "port " + publicPort + ": " + d.verifyModels(proxy);
    }

    private void drainAndRetire(String old, Bundle bundle) throws Exception {
        long drainSeconds = Math.max(1, knobs.drainTimeout().toSeconds());
        d.step("drain", () -> {
            long start = System.nanoTime();
            String out = d.host().callChecked("draining " + old, Duration.ofSeconds(drainSeconds + 30), "bg-drain", old,
                    Long.toString(drainSeconds)).strip();
            long took = Duration.ofNanos(System.nanoTime() - start).toMillis();
            return out.equals("drained") ? old + " finished its requests in " + took + " ms"
                    : old + " still had " + out.substring(out.indexOf('=') + 1) + " connections after " + drainSeconds + " s; stopping it anyway";
        });
        long grace = knobs.keepOld().toSeconds();
        d.step("retire", () -> {
            d.host().callChecked("retiring " + old, settings.commandTimeout(), "bg-retire", old, Long.toString(grace));
            return grace == 0 ? old + " stopped" : old + " keeps running for " + grace + " s (a rollback in that time is a switch back), then stops";
        });
    }

    /** After a move from restart: the single service (stopped by the switch) finishes its requests in flight. */
    private void drainSingleService() throws Exception {
        long drainSeconds = Math.max(1, knobs.drainTimeout().toSeconds());
        d.step("drain", () -> {
            long start = System.nanoTime();
            String out = d.host().callChecked("draining " + settings.layout().unitName(), Duration.ofSeconds(drainSeconds + 30),
                    "bg-wait-stopped", Long.toString(drainSeconds)).strip();
            long took = Duration.ofNanos(System.nanoTime() - start).toMillis();
            return out.equals("stopped") ? settings.layout().unitName() + " finished its requests and stopped in " + took + " ms"
                    : settings.layout().unitName() + " was still busy after " + drainSeconds + " s and was killed";
        });
    }

    /** Leaves blue-green for the restart strategy: called before the single service is restarted. */
    static String leave(HostDeployment d) throws RemoteCommandException {
        d.host().callChecked("leaving blue-green", d.settings().commandTimeout(), "bg-leave");
        return "proxy site removed, colors stopped";
    }
}
