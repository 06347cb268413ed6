package dev.litellmdeploy.deployer;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

import dev.litellmdeploy.deployer.bundle.Bundle;
import dev.litellmdeploy.deployer.bundle.SecretMask;
import dev.litellmdeploy.deployer.remote.ConnectionException;
import dev.litellmdeploy.deployer.remote.Helper;
import dev.litellmdeploy.deployer.remote.RemoteHost;
import dev.litellmdeploy.deployer.remote.Reply;
import dev.litellmdeploy.deployer.run.HostRun;
import dev.litellmdeploy.deployer.run.Session;
import dev.litellmdeploy.deployer.run.StepRunner;
import dev.litellmdeploy.deployer.steps.BlueGreen;
import dev.litellmdeploy.deployer.steps.Phase;
import dev.litellmdeploy.deployer.steps.Service;
import dev.litellmdeploy.deployer.steps.Step;
import dev.litellmdeploy.deployer.steps.Undoing;
import dev.litellmdeploy.deployer.strategy.Strategy;

/**
 * A deploy, plan or rollback on one host over one connection: take the lock (preflight, lock and the state read in one
 * round trip), make the plan, and hand its program to {@link HostRun}, which runs it and decides the outcome. The lock
 * is released on every path.
 */
final class HostDeployment {
    /** Opens a fresh connection to the same host (after the first one dropped). */
    interface Reconnect {
        RemoteHost connect() throws ConnectionException;
    }

    private final HostTarget target;
    private final Bundle bundle;
    private final DeploySettings settings;
    private final DeployListener listener;
    private final SecretMask mask;
    private RemoteHost host;
    private RemoteLock lock;
    private Reconnect reconnect;
    private HostRun.Retry retry = HostRun.Retry.DEFAULT;
    private Clock clock = Clock.systemUTC();
    private Session session;

    HostDeployment(HostTarget target, RemoteHost host, Bundle bundle, DeploySettings settings, DeployListener listener) {
        this.target = target;
        this.host = host;
        this.bundle = bundle;
        this.settings = settings;
        this.listener = listener;
        this.mask = maskOf(bundle);
    }

    /** The bundle's secrets and the credentials of --python-index/--python-install-mirror. */
    private SecretMask maskOf(Bundle b) {
        List<String> secrets = new java.util.ArrayList<>(settings.python().secrets());
        if (b != null) {
            secrets.addAll(b.secrets());
        }
        return new SecretMask(secrets);
    }

    /** Names new releases by this clock (the host's history, not the name, orders them). */
    HostDeployment namingWith(Clock namingClock) {
        this.clock = namingClock;
        return this;
    }

    /** Lets a run that loses its connection after changing the server reconnect and undo. */
    HostDeployment reconnectingWith(Reconnect how) {
        this.reconnect = how;
        return this;
    }

    /** How long a run that lost its connection keeps reconnecting ({@link HostRun.Retry#DEFAULT} unless a test says). */
    HostDeployment retryingFor(HostRun.Retry how) {
        this.retry = how;
        return this;
    }

    /** The connection in use now (another one than given after a reconnect). */
    RemoteHost host() {
        return session != null ? session.host() : host;
    }

    SecretMask mask() {
        return mask;
    }

    List<StepTiming> timings() {
        return session == null ? List.of() : List.copyOf(session.timings());
    }

    /** Runs the whole deploy (or only its planning with dryRun). */
    HostResult run(boolean dryRun) throws Exception {
        HostState state = openLocked(bundle, !dryRun);
        try {
            DeploymentPlan plan = timed("diff", () -> new Planner().plan(target, bundle, state, state.currentRedactedConfig(), settings,
                    clock.instant()));
            listener.planned(plan);
            if (!plan.noop()) {
                session.probedAhead(0, null); // the probe sent with the lock proves only a host that nothing will change
            }
            if (dryRun) {
                return new HostResult(target, HostResult.Outcome.NOOP, plan, state.currentRelease(), timings(), "planned only");
            }
            String action = "deploy of " + plan.releaseId() + " to " + target;
            HostResult r = run().execute(plan, action, "Nothing was installed; the service was not touched.",
                    plan.noop() ? HostResult.Outcome.NOOP : HostResult.Outcome.SUCCESS,
                    plan.noop() ? "already running " + state.currentRelease() + "; nothing changed"
                            : "deployed " + plan.releaseId() + (plan.restart() ? " (restarted: " + plan.restartReason() + ")" : ""));
            return unlocked(r);
        } catch (Exception e) {
            unlock();
            throw e;
        }
    }

    /** Switches the host to an earlier release (the previous one by default) and proves it ready. */
    HostResult rollbackTo(String requested) throws Exception {
        HostState state = openLocked(null, false);
        try {
            String to = requested != null ? requested : state.previousRelease();
            String refused = requested == null && state.currentRelease() == null
                    ? "nothing is deployed on " + target + " (no release is recorded there), so there is nothing to roll back to; nothing was"
                            + " changed. Deploy a bundle first with `litellm-deploy deploy`"
                    : to == null ? "there is no earlier release on " + target + " to roll back to (releases: " + String.join(", ", state.releases()) + ")"
                    : !state.releases().contains(to) ? "release " + to + " is not on " + target + "; it has: " + String.join(", ", state.releases())
                    : null;
            if (refused != null) {
                timed("diff", () -> "refused");
                return unlocked(new HostResult(target, HostResult.Outcome.FAILED_NOTHING_CHANGED, null, state.currentRelease(), timings(), refused));
            }
            Bundle release = Adoption.ID.equals(to) ? null : RemoteRelease.load(session.host(), settings.layout(), to, settings.commandTimeout());
            if (release != null) {
                session.putLive(release, maskOf(release));
            }
            List<Step> program = timed("diff", () -> rollbackProgram(to, state, release));
            DeploymentPlan plan = new DeploymentPlan(target, to, state.currentRelease(), List.of(), false, false, true, "rollback to " + to,
                    program, "", null);
            listener.planned(plan);
            HostResult r = run().execute(plan, "rollback of " + target + " to " + to, "Nothing was changed.", HostResult.Outcome.SUCCESS,
                    "rolled back to " + to + (Adoption.ID.equals(to) ? ", the setup found here before litellm-deploy" : how(state, program)));
            return unlocked(r);
        } catch (Exception e) {
            unlock();
            throw e;
        }
    }

    /** How a blue-green rollback went live: a switch back to a color still running, or a start first. */
    private static String how(HostState state, List<Step> program) {
        if (!state.blueGreen().deployed()) {
            return "";
        }
        String other = BlueGreenState.other(state.blueGreen().live());
        return program.stream().anyMatch(s -> s instanceof BlueGreen.StartColor) ? " (started in " + other + ", then switched)"
                : " by switching back to " + other + ", which was still running";
    }

    private List<Step> rollbackProgram(String to, HostState state, Bundle release) {
        if (Adoption.ID.equals(to)) {
            List<Step> steps = new java.util.ArrayList<>();
            if (state.blueGreen().deployed()) {
                steps.add(new BlueGreen.Leave(Phase.CHANGE, null));
            }
            steps.add(new Undoing.RestoreAdopted(Phase.CHANGE));
            steps.add(new Service.Record(Adoption.ID, "rollback", null));
            return steps;
        }
        List<Step> steps = new java.util.ArrayList<>(Strategy.forRollback(state).rollback(to, state, release, settings));
        if (PythonEnv.needed(release, settings.layout(), state)) {
            steps.add(0, Planner.pythonEnv(to, release, settings)); // its environment went (pruned by hand): built again first
        }
        return steps;
    }

    private HostRun run() {
        return new HostRun(session, reconnect == null ? null : () -> {
            RemoteHost fresh = reconnect.connect();
            lock.close();
            lock = RemoteLock.acquire(fresh, settings.helper().expectedSha256(), 64, settings.actor(), settings.lockTimeout(),
                    m -> listener.progress(target, "lock", m));
            return new LockedHost(fresh, lock);
        }, retry);
    }

    /** preflight, lock and read-current in one round trip (see {@link RemoteLock}), each reported as its own step. */
    private HostState openLocked(Bundle deploying, boolean probeAhead) throws Exception {
        listener.stepStarted(target, "preflight");
        // a deploy's no-op proves the running service: its probe rides with the lock request and costs no round trip
        String[] ahead = !probeAhead ? null
                : concat("probe", Helper.probeArgs(deploying.manifest().port(), 0, null, -1, deploying.masterKey()));
        try {
            lock = RemoteLock.acquire(host, settings.helper().expectedSha256(), neededKib(deploying), settings.actor(), settings.lockTimeout(),
                    m -> listener.progress(target, "lock", m), ahead);
        } catch (RemoteLock.PreflightFailed e) {
            throw SudoDiagnosis.of(e.stderr, 1, settings, host.describe());
        }
        HostState state = HostState.parse(lock.state, settings.layout());
        String protocol = Reply.parse("state", lock.state).get("protocol", "");
        if (!protocol.equals(Integer.toString(Helper.PROTOCOL))) {
            lock.close();
            throw new ConnectionException("the helper on " + host.describe() + " speaks protocol " + (protocol.isEmpty() ? "1" : protocol)
                    + ", this deployer " + Helper.PROTOCOL + ": reinstall it (litellm-deploy helper --help). Nothing was changed.");
        }
        session = new Session(target, new LockedHost(host, lock), deploying, state, settings, listener, mask);
        if (ahead != null) {
            RemoteLock held = lock;
            session.probedAhead(deploying.manifest().port(), () -> Helper.probed(held.ahead(settings.commandTimeout())));
        }
        StepRunner runner = new StepRunner(session);
        runner.recorded("preflight", lock.preflightTook, lock.preflight.strip());
        runner.recorded("lock", lock.lockTook, "");
        runner.recorded("read-current", lock.stateTook,
                state.currentRelease() == null ? "nothing deployed" : state.currentRelease() + ", " + state.activeState());
        return state;
    }

    private static String[] concat(String verb, String[] args) {
        String[] all = new String[args.length + 1];
        all[0] = verb;
        System.arraycopy(args, 0, all, 1, args.length);
        return all;
    }

    /** Space the release needs where it is written: the bundle's bytes plus room for the audit log and markers. */
    private static long neededKib(Bundle deploying) {
        if (deploying == null) {
            return 64;
        }
        return deploying.files().values().stream().mapToLong(b -> b.length).sum() / 1024 + 64;
    }

    private interface Body<T> {
        T run() throws Exception;
    }

    /** A step of the run itself (the plan), timed and reported like the program's. */
    private <T> T timed(String name, Body<T> body) throws Exception {
        listener.stepStarted(target, name);
        long start = System.nanoTime();
        T result = body.run();
        new StepRunner(session).recorded(name, Duration.ofNanos(System.nanoTime() - start), result instanceof String text ? text : "");
        return result;
    }

    private HostResult unlocked(HostResult r) {
        unlock();
        return new HostResult(r.host(), r.outcome(), r.plan(), r.release(), timings(), r.message());
    }

    private void unlock() {
        if (lock != null && session != null) {
            long start = System.nanoTime();
            listener.stepStarted(target, DeploymentPlan.CLOSING);
            lock.release();
            new StepRunner(session).recorded(DeploymentPlan.CLOSING, Duration.ofNanos(System.nanoTime() - start), "");
            lock = null;
        }
    }
}
