package dev.litellmdeploy.deployer;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;


import dev.litellmdeploy.deployer.bundle.Bundle;
import dev.litellmdeploy.deployer.bundle.SecretMask;
import dev.litellmdeploy.deployer.remote.ConnectionException;
import dev.litellmdeploy.deployer.remote.ExecResult;
import dev.litellmdeploy.deployer.remote.RemoteCommandException;
import dev.litellmdeploy.deployer.remote.RemoteHost;
import dev.litellmdeploy.deployer.unit.UnitParameters;

/**
 * Applies a plan to one host over one connection, step by step, each named and timed. A failure
 * once files are installed rolls back to the previous release and proves it ready again; the lock
 * is released on every path.
 */
final class HostDeployment {
    /** The helper's exit status when it wrote none of a release's files into place (a full disk): nothing changed. */
    static final int NOT_INSTALLED = 7;

    /** The install step changed nothing (see {@link #NOT_INSTALLED}). */
    static final class NothingInstalled extends Exception {
        NothingInstalled(String message) {
            super(message);
        }
    }

    /** How long a deploy that lost its connection after installing keeps trying to reconnect and roll back. */
    static final Duration RECONNECT_WINDOW = Duration.ofSeconds(90);

    /** Opens a fresh connection to the same host (after the first one dropped). */
    interface Reconnect {
        RemoteHost connect() throws ConnectionException;
    }

    private final HostTarget target;
    private RemoteHost host;
    private RemoteLock lock;
    /** The blue-green color whose unit readiness checks and journal tails watch; null: the restart-mode unit. */
    private String watched;
    private Reconnect reconnect;
    private java.time.Clock clock = java.time.Clock.systemUTC();
    private final Bundle bundle;
    private final DeploySettings settings;
    private final RemoteLayout layout;
    private final DeployListener listener;
    private final SecretMask mask;
    private final String helperSha;
    private final List<StepTiming> timings = new ArrayList<>();

    HostDeployment(HostTarget target, RemoteHost host, Bundle bundle, DeploySettings settings, DeployListener listener) {
        this.target = target;
        this.host = host;
        this.bundle = bundle;
        this.settings = settings;
        this.layout = settings.layout();
        this.listener = listener;
        this.mask = bundle == null ? SecretMask.none() : new SecretMask(bundle.secrets());
        this.helperSha = settings.helper().expectedSha256();
    }

    /** Space the release needs where it is written: the bundle's bytes plus room for the audit log and markers. */
    private long neededKib() {
        if (bundle == null) {
            return 64;
        }
        long bytes = bundle.files().values().stream().mapToLong(b -> b.length).sum();
        return bytes / 1024 + 64;
    }

    /** Makes readiness checks and journal tails follow a blue-green color's unit (null: the restart-mode unit). */
    void watch(String color) {
        this.watched = color;
    }

    HostTarget target() {
        return target;
    }

    Bundle bundle() {
        return bundle;
    }

    DeploySettings settings() {
        return settings;
    }

    DeployListener listener() {
        return listener;
    }

    /** Names new releases by this clock (the host's history, not the name, orders them). */
    HostDeployment namingWith(java.time.Clock namingClock) {
        this.clock = namingClock;
        return this;
    }

    /** Lets a deploy that loses its connection after installing reconnect and roll back. */
    HostDeployment reconnectingWith(Reconnect how) {
        this.reconnect = how;
        return this;
    }

    /** The connection in use now (another one than given after a reconnect). */
    RemoteHost host() {
        return host;
    }

    /** The bundle's secrets, for masking messages about this host. */
    SecretMask mask() {
        return mask;
    }

    List<StepTiming> timings() {
        return timings;
    }

    interface StepBody<T> {
        T run() throws Exception;
    }

    <T> T step(String name, StepBody<T> body) throws Exception {
        listener.stepStarted(target, name);
        long start = System.nanoTime();
        T result = body.run();
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        String detail = result instanceof String s ? s : "";
        timings.add(new StepTiming(name, took, detail));
        listener.stepFinished(target, name, took, detail);
        return result;
    }

    /** Checks the host can take a deploy; changes nothing. Maps a sudo that wants a password to a clear connection error. */
    String preflight() throws Exception {
        ExecResult r = host.call(settings.commandTimeout(), "preflight", helperSha, Long.toString(neededKib()));
        if (!r.ok()) {
            throw preflightError(r.stderr(), r.exitStatus());
        }
        return r.stdout().strip();
    }

    /** A sudo that wants a password (or is not allowed) is a connection problem; anything else a failed check. */
    private Exception preflightError(String err, int status) {
        if (err.contains("HELPER-MISMATCH")) {
            return new ConnectionException("the helper at " + settings.sudoHelper() + " on " + host.describe() + " is not the one this"
                    + " deployer needs (another version, or made for other paths). Reinstall it: litellm-deploy helper > litellm-deploy-helper;"
                    + " then on the host: sudo install -m 0755 -o root -g root litellm-deploy-helper " + settings.sudoHelper()
                    + ". Nothing was changed.");
        }
        if (settings.sudoHelper() != null && (err.contains("command not found") || err.contains("No such file"))) {
            return new ConnectionException("there is no helper at " + settings.sudoHelper() + " on " + host.describe() + ". Install it"
                    + " once (litellm-deploy helper --help shows how). Nothing was changed.");
        }
        if (err.contains("is not allowed to execute") || err.contains("not allowed to run")) {
            return new ConnectionException("sudo on " + host.describe() + " does not let this user run the deployer's commands ("
                    + err.strip() + "). If sudoers allows only the litellm-deploy helper, pass --sudo-helper with its path. Nothing was changed.");
        }
        if (err.contains("password is required") || err.contains("a terminal is required") || err.contains("askpass")) {
            return new ConnectionException("sudo on " + host.describe() + " asks for a password (or this user may not use sudo at all:"
                    + " without a password sudo does not say which), and a deploy cannot type one. "
                    + (settings.sudoHelper() == null
                            ? "If sudoers allows this user only the litellm-deploy helper, pass --sudo-helper with its path; else give"
                                    + " the user passwordless sudo (docs/security.md has both sudoers entries) or deploy as root."
                            : "Let the user run " + settings.sudoHelper() + " without a password: "
                                    + HelperScript.sudoers("<user>", settings.sudoHelper()).strip() + " (docs/security.md).")
                    + " Nothing was changed.");
        }
        if (err.contains("not in the sudoers") || err.contains("may not run sudo")) {
            return new ConnectionException("the user on " + host.describe() + " may not use sudo; nothing was changed.");
        }
        return new RemoteCommandException("preflight on " + host.describe() + " failed: " + err.strip(), status, err);
    }

    HostState readState() throws RemoteCommandException {
        return HostState.parse(host.callChecked("reading the current release", settings.commandTimeout(), "state"), layout);
    }

    DeploymentPlan plan(HostState state) {
        return new Planner().plan(target, bundle, state, state.currentRedactedConfig(), settings, clock.instant());
    }

    /** Runs the whole deploy (or only its planning with dryRun). */
    HostResult run(boolean dryRun) throws Exception {
        lock = openLocked();
        try {
            HostState state = HostState.parse(lock.state, layout);
            DeploymentPlan plan = step("diff", () -> plan(state));
            listener.planned(plan);
            if (dryRun) {
                return new HostResult(target, HostResult.Outcome.NOOP, plan, state.currentRelease(), List.copyOf(timings), "planned only");
            }
            if (plan.noop()) {
                return noop(plan, state);
            }
            return apply(plan, state);
        } finally {
            step("unlock", () -> {
                lock.close();
                return "";
            });
        }
    }

    /** preflight, lock and read-current in one round trip (see {@link RemoteLock}), each reported as its own step. */
    private RemoteLock openLocked() throws Exception {
        listener.stepStarted(target, "preflight");
        RemoteLock lock;
        try {
            lock = RemoteLock.acquire(host, helperSha, neededKib(), settings.actor(), settings.lockTimeout(),
                    m -> listener.progress(target, "lock", m));
        } catch (RemoteLock.PreflightFailed e) {
            throw preflightError(e.stderr, 1);
        }
        recorded("preflight", lock.preflightTook, lock.preflight.strip());
        recorded("lock", lock.lockTook, "");
        HostState state = HostState.parse(lock.state, layout);
        recorded("read-current", lock.stateTook, state.currentRelease() == null ? "nothing deployed" : state.currentRelease() + ", " + state.activeState());
        return lock;
    }

    private void recorded(String name, Duration took, String detail) {
        timings.add(new StepTiming(name, took, detail));
        listener.stepFinished(target, name, took, detail);
    }

    /** Current release, service state and readiness (read-only, no lock). */
    HostStatus status() throws Exception {
        preflight();
        HostState state = readState();
        if (state.currentRelease() == null || Adoption.ID.equals(state.currentRelease())) {
            return new HostStatus(target, state.currentRelease(), null, null, state.activeState(), state.mainPid(), false, List.of(),
                    state.releases(), null, null);
        }
        BlueGreenState bg = state.blueGreen().deployed() ? state.blueGreen() : null;
        Bundle current = RemoteRelease.load(host, layout, state.currentRelease(), settings.commandTimeout());
        Readiness readiness = new Readiness(host, current.manifest().port());
        boolean ready = (bg != null ? bg.running(bg.live()) : state.active()) && readiness.ready();
        List<String> models = ready ? readiness.models(current.masterKey()) : List.of();
        String active = bg != null ? bg.active().get(bg.live()) + " (" + bg.live() + " live)" : state.activeState();
        return new HostStatus(target, state.currentRelease(), current.bundleId(), current.manifest().sourceRevision(), active,
                bg != null ? 0 : state.mainPid(), ready, models, state.releases(), null, bg);
    }

    /** Switches the host to an earlier release (the previous one by default) and proves it ready. */
    HostResult rollbackTo(String requested) throws Exception {
        RemoteLock lock = openLocked();
        try {
            HostState state = HostState.parse(lock.state, layout);
            if (requested == null && state.currentRelease() == null) {
                throw new DeployFailedException("nothing is deployed on " + target + " (no release is recorded there), so there is nothing"
                        + " to roll back to; nothing was changed. Deploy a bundle first with `litellm-deploy deploy`", false, false, null);
            }
            String to = requested != null ? requested : state.previousRelease();
            if (to == null) {
                throw new DeployFailedException("there is no earlier release on " + target + " to roll back to (releases: "
                        + String.join(", ", state.releases()) + ")", false, false, null);
            }
            if (!state.releases().contains(to)) {
                throw new DeployFailedException("release " + to + " is not on " + target + "; it has: " + String.join(", ", state.releases()),
                        false, false, null);
            }
            if (Adoption.ID.equals(to)) {
                return new Adoption(this).rollback(state);
            }
            Bundle release = RemoteRelease.load(host, layout, to, settings.commandTimeout());
            HostDeployment switched = new HostDeployment(target, host, release, settings, listener);
            DeploymentPlan plan = new DeploymentPlan(target, to, state.currentRelease(), List.of("config.yaml", "litellm.service"), false, false,
                    true, "rollback to " + to, List.of("install", "daemon-reload", "restart", "wait-ready", "verify-models", "record"), "");
            if (state.blueGreen().deployed()) {
                HostResult r = new BlueGreenDeployment(switched).rollbackTo(to, state, release);
                step("record", () -> record(to, "rollback (blue-green)"));
                timings.addAll(switched.timings());
                return new HostResult(target, HostResult.Outcome.SUCCESS, plan, to, List.copyOf(timings), r.message());
            }
            long since = remoteNow();
            try {
                step("install", () -> host.callChecked("installing " + to, settings.commandTimeout(), "switch", to));
                Readiness readiness = new Readiness(host, release.manifest().port());
                step("wait-ready", () -> switched.waitReady(readiness, -1, since));
                step("verify-models", () -> switched.verifyModels(readiness));
            } catch (Exception e) {
                switched.auditQuietly(plan, "rollback failed");
                throw new DeployFailedException("rollback of " + target + " to " + to + " failed: " + mask.apply(e.getMessage()), true, false, e);
            }
            step("record", () -> record(to, "rollback"));
            return new HostResult(target, HostResult.Outcome.SUCCESS, plan, to, List.copyOf(timings), "rolled back to " + to);
        } finally {
            step("unlock", () -> {
                lock.close();
                return "";
            });
        }
    }

    /** Journal lines of the service, secrets of every kept release masked; follow streams until the consumer's thread is interrupted. */
    void logs(int lines, boolean follow, java.util.function.Consumer<String> out) throws Exception {
        HostState state;
        try {
            state = readState();
        } catch (RemoteCommandException e) {
            // no preflight here (it would refuse a full disk, when logs matter most): a sudo problem shows on this first call
            Exception sudo = preflightError(e.stderr(), e.exitStatus());
            throw sudo instanceof ConnectionException ? sudo : e;
        }
        SecretMask current = KeptReleaseSecrets.of(host, layout, state, settings.commandTimeout());
        if (!follow) {
            for (String line : host.callChecked("reading the journal", settings.commandTimeout(), "logs", Integer.toString(lines)).split("\n")) {
                out.accept(current.apply(line));
            }
            return;
        }
        try (RemoteHost.RunningCommand running = host.start(l -> out.accept(current.apply(l)), l -> { }, "logs", Integer.toString(lines), "follow")) {
            while (running.isOpen()) {
                Thread.sleep(200);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private HostResult noop(DeploymentPlan plan, HostState state) throws Exception {
        Readiness readiness = new Readiness(host, bundle.manifest().port());
        step("wait-ready", () -> waitReady(readiness, -1, 0));
        step("verify-models", () -> verifyModels(readiness));
        step("record", () -> {
            host.callChecked("writing the audit log", settings.commandTimeout(), "audit", "noop", state.currentRelease(),
                    AuditClaims.text(settings.actor()));
            return "nothing changed; nothing restarted";
        });
        return new HostResult(target, HostResult.Outcome.NOOP, plan, state.currentRelease(), List.copyOf(timings),
                "already running " + state.currentRelease() + "; nothing changed");
    }

    private HostResult apply(DeploymentPlan plan, HostState state) throws Exception {
        if (plan.adopting() != null) {
            step("adopt", () -> new Adoption(this).save());
        }
        boolean newRelease = plan.steps().contains("upload");
        if (newRelease) {
            step("upload", () -> upload(plan.releaseId()));
        }
        try {
            if (plan.steps().contains(WheelhouseUpload.STEP)) {
                step(WheelhouseUpload.STEP, () -> WheelhouseUpload.run(host, bundle, settings));
            }
            if (plan.installUv()) {
                step("ensure-uv", this::ensureUv);
            }
            if (plan.createUser()) {
                step("ensure-user", () -> host.callChecked("creating the service user", settings.commandTimeout(), "ensure-user"));
            }
        } catch (Exception e) {
            markFailed(plan.releaseId());
            throw new DeployFailedException(mask.apply(e.getMessage()) + ". Nothing was installed; the service was not touched.",
                    false, false, e);
        }
        if (settings.strategy() == DeploySettings.Strategy.BLUE_GREEN) {
            return new BlueGreenDeployment(this).apply(plan, state);
        }
        long since = 0;
        try {
            if (!plan.changedFiles().isEmpty() || plan.steps().contains("enable")) {
                step("install", () -> {
                    List<String> did = new ArrayList<>(plan.changedFiles());
                    List<String> args = new ArrayList<>(List.of(plan.releaseId()));
                    if (plan.unitChanged()) {
                        args.add("daemon-reload");
                        did.add("daemon-reload");
                    }
                    if (plan.steps().contains("enable")) {
                        args.add("enable");
                        did.add("enable");
                    }
                    try {
                        host.callChecked("installing the release", settings.commandTimeout(), "install", args.toArray(String[]::new));
                    } catch (RemoteCommandException e) {
                        if (e.exitStatus() == NOT_INSTALLED) {
                            throw new NothingInstalled(e.stderr().strip());
                        }
                        throw e;
                    }
                    return String.join(", ", did);
                });
            }
            long[] restart = {-1, 0};
            if (plan.steps().contains("leave-blue-green")) {
                step("leave-blue-green", () -> BlueGreenDeployment.leave(this));
            }
            if (plan.restart()) {
                step("restart", () -> {
                    String out = host.callChecked("restarting the service", settings.commandTimeout(), "restart");
                    String[] lines = out.strip().split("\n");
                    restart[0] = parseLong(lines[0]);
                    restart[1] = parseLong(lines[lines.length - 1]) - 1;
                    return plan.restartReason();
                });
            }
            since = restart[1];
            long baseline = restart[0];
            long journalFrom = since;
            Readiness readiness = new Readiness(host, bundle.manifest().port());
            step("wait-ready", () -> waitReady(readiness, baseline, journalFrom));
            step("verify-models", () -> verifyModels(readiness));
            if (!settings.settle().isZero()) {
                step("settle", () -> settle(journalFrom));
            }
        } catch (NothingInstalled e) {
            markFailed(plan.releaseId());
            auditQuietly(plan, "failed before install");
            throw new DeployFailedException("deploy of " + plan.releaseId() + " to " + target + " failed: " + mask.apply(e.getMessage())
                    + ". Nothing was installed; the service was not touched.", false, false, e);
        } catch (Exception failure) {
            Exception cause = host.connected() ? failure : reconnectAfter(failure);
            return rollback(plan, state, cause, since);
        }
        step("record", () -> {
            record(plan.releaseId(), "success");
            return plan.releaseId();
        });
        return new HostResult(target, HostResult.Outcome.SUCCESS, plan, plan.releaseId(), List.copyOf(timings),
                "deployed " + plan.releaseId() + (plan.restart() ? " (restarted: " + plan.restartReason() + ")" : ""));
    }

    /**
     * The connection dropped after files were installed (a network cut, the host rebooting): reconnect
     * within {@link #RECONNECT_WINDOW}, take the lock again, and let the caller roll back to the
     * previous release, which is known to work. Without a connection the host's state is unknown,
     * and the report says so and what to do.
     */
    private Exception reconnectAfter(Exception failure) throws Exception {
        String lost = mask.apply(String.valueOf(failure.getMessage()));
        if (reconnect == null) {
            throw lostConnection(lost, failure);
        }
        long start = System.nanoTime();
        long deadline = start + RECONNECT_WINDOW.toNanos();
        listener.progress(target, "reconnect", "lost the connection (" + lost + "); reconnecting for up to " + RECONNECT_WINDOW.toSeconds()
                + " s to roll back");
        while (true) {
            try {
                RemoteHost fresh = reconnect.connect();
                host.close();
                host = fresh;
                lock.close();
                lock = RemoteLock.acquire(host, helperSha, 64, settings.actor(), settings.lockTimeout(),
                        m -> listener.progress(target, "lock", m));
                long took = Duration.ofNanos(System.nanoTime() - start).toMillis();
                recorded("reconnect", Duration.ofNanos(System.nanoTime() - start), "reconnected after " + took + " ms, lock taken again");
                return new DeployFailedException("the connection was lost (" + lost + ") and came back after " + took + " ms", true, false,
                        failure);
            } catch (ConnectionException | RemoteCommandException | RemoteLock.PreflightFailed e) {
                if (System.nanoTime() > deadline) {
                    throw lostConnection(lost, failure);
                }
                Thread.sleep(2000);
            }
        }
    }

    private DeployFailedException lostConnection(String lost, Exception failure) {
        return new DeployFailedException("lost the connection to " + target + " after the new release was installed (" + lost + ")"
                + (reconnect == null ? "" : " and could not reconnect within " + RECONNECT_WINDOW.toSeconds() + " s")
                + ".\nROLLBACK FAILED: the host may be running the new release or be down. Check it with `litellm-deploy status`;"
                + " the next deploy repairs it (the deploy lock went with the connection).", true, false, failure);
    }

    private String upload(String releaseId) throws RemoteCommandException {
        String staging = host.stagingDir() + "/" + releaseId;
        StringBuilder checksums = new StringBuilder();
        Map<String, byte[]> files = new LinkedHashMap<>(bundle.files());
        files.put(Bundle.MANIFEST, bundle.manifestBytes());
        Map<String, byte[]> remote = new LinkedHashMap<>();
        for (Map.Entry<String, byte[]> f : files.entrySet()) {
            remote.put(staging + "/" + f.getKey(), f.getValue());
            checksums.append(Bundle.sha256(f.getValue())).append("  ").append(f.getKey()).append('\n');
        }
        host.upload(remote);
        host.callChecked("checking and committing the upload", settings.commandTimeout(), "commit", releaseId, bundle.bundleId(),
                checksums.toString(), UnitParameters.text(UnitParameters.of(bundle)));
        return files.size() + " files -> " + layout.release(releaseId);
    }

    private String ensureUv() throws RemoteCommandException, IOException {
        UvSource uv = settings.uv();
        String out;
        if (uv.localFile() != null) {
            String remote = host.stagingDir() + "/" + uv.localFile().getFileName();
            byte[] archive = Files.readAllBytes(uv.localFile());
            try (InputStream in = new ByteArrayInputStream(archive)) {
                host.upload(in, remote);
            }
            out = host.callChecked("installing uv", settings.commandTimeout(), "install-uv", uv.localFile().getFileName().toString(),
                    Bundle.sha256(archive));
        } else {
            out = host.callChecked("installing uv", settings.commandTimeout(), "install-uv-url", uv.installerUrl());
        }
        String[] lines = out.strip().split("\n");
        return lines[lines.length - 1] + ", " + uv.describe();
    }

    /** Polls liveliness then readiness; fails fast when the service dies or restarts (baseline: NRestarts before our restart, -1: no check). */
    String waitReady(Readiness readiness, long baseline, long since) throws Exception {
        long start = System.nanoTime();
        long deadline = start + settings.readyTimeout().toNanos();
        long nextProgress = start + Duration.ofSeconds(5).toNanos();
        long nextServiceCheck = start;
        String last = "";
        while (System.nanoTime() < deadline) {
            int live = readiness.status("/health/liveliness");
            int ready = live == 200 ? readiness.status("/health/readiness") : 0;
            if (live == 200 && ready == 200) {
                return "ready after " + Duration.ofNanos(System.nanoTime() - start).toMillis() + " ms";
            }
            last = "liveliness " + (live == 0 ? "no answer" : live) + (live == 200 ? ", readiness " + ready : "");
            if (System.nanoTime() >= nextServiceCheck) {
                Map<String, String> show = serviceShow();
                String active = show.getOrDefault("ActiveState", "");
                String sub = show.getOrDefault("SubState", "");
                long restarts = parseLong(show.get("NRestarts"));
                if ("failed".equals(active) || "auto-restart".equals(sub) || (baseline >= 0 && restarts > baseline) || "inactive".equals(active)) {
                    throw new DeployFailedException("the service did not start: it is " + active + " (" + sub + ")"
                            + (restarts > baseline && baseline >= 0 ? " and systemd restarted it " + (restarts - baseline) + " times" : "")
                            + journalTail(since), true, false, null);
                }
                nextServiceCheck = System.nanoTime() + Duration.ofSeconds(1).toNanos();
            }
            if (System.nanoTime() >= nextProgress) {
                listener.progress(target, "wait-ready", "waiting for the proxy: " + Duration.ofNanos(System.nanoTime() - start).toSeconds()
                        + " s, " + last + " (a first start downloads Python and LiteLLM, which can take minutes)");
                nextProgress = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            }
            Thread.sleep(100);
        }
        throw new DeployFailedException("the proxy was not ready within " + settings.readyTimeout().toSeconds() + " s (" + last + ")"
                + journalTail(since), true, false, null);
    }

    String verifyModels(Readiness readiness) throws Exception {
        List<String> served = readiness.models(bundle.masterKey());
        if (bundle.declaresMasterKey() && readiness.status("/v1/models") == 200) {
            // real LiteLLM starts when master_key resolves to nothing (os.environ/ of an unset variable) and then serves everyone
            throw new DeployFailedException("the proxy serves /v1/models without a key although config.yaml sets a master key: the key"
                    + " did not reach LiteLLM (an os.environ/ reference to a variable the service does not have?)", true, false, null);
        }
        List<String> missing = new ArrayList<>(bundle.models());
        missing.removeAll(served);
        if (!missing.isEmpty()) {
            throw new DeployFailedException("/v1/models does not list " + String.join(", ", missing) + " (it lists "
                    + String.join(", ", served) + ")", true, false, null);
        }
        return served.size() + " models: " + String.join(", ", served);
    }

    private HostResult rollback(DeploymentPlan plan, HostState state, Exception failure, long since) throws Exception {
        String reason = mask.apply(failure.getMessage());
        if (!(failure instanceof DeployFailedException)) {
            reason = reason + journalTail(since);
        }
        markFailed(plan.releaseId());
        String previous = plan.adopting() != null ? Adoption.ID : state.currentRelease();
        if (Adoption.ID.equals(previous)) {
            throw new Adoption(this).restoreAfterFailure(plan, "deploy of " + plan.releaseId() + " to " + target + " failed: " + reason,
                    failure);
        }
        if (previous == null || previous.equals(plan.releaseId())) {
            step("stop", () -> {
                host.call(settings.commandTimeout(), "stop");
                return "nothing to roll back to; service stopped";
            });
            auditQuietly(plan, "failed");
            throw new DeployFailedException("deploy of " + plan.releaseId() + " to " + target + " failed: " + reason
                    + "\nNothing ran here before; the failed service was stopped and disabled.", true, false, failure);
        }
        try {
            step("rollback", () -> {
                host.callChecked("reinstalling " + previous, settings.commandTimeout(), "switch", previous);
                return "reinstalled " + previous;
            });
            Readiness readiness = new Readiness(host, bundle.manifest().port());
            step("rollback-ready", () -> waitReady(readiness, -1, remoteNow()));
        } catch (Exception rollbackFailure) {
            auditQuietly(plan, "failed; rollback failed");
            throw new DeployFailedException("deploy of " + plan.releaseId() + " to " + target + " failed: " + reason
                    + "\nROLLBACK FAILED too: " + mask.apply(rollbackFailure.getMessage()), true, false, failure);
        }
        auditQuietly(plan, "failed; rolled back to " + previous);
        throw new DeployFailedException("deploy of " + plan.releaseId() + " to " + target + " failed: " + reason
                + "\nRolled back to " + previous + ", which is running and ready.", true, true, failure);
    }

    void markFailed(String releaseId) {
        try {
            host.call(settings.commandTimeout(), "mark-failed", releaseId);
        } catch (RemoteCommandException e) {
            // best effort: the connection may be what failed
        }
    }

    void auditQuietly(DeploymentPlan plan, String result) {
        try {
            host.call(settings.commandTimeout(), "audit", AuditClaims.text(result), plan.releaseId() == null ? "" : plan.releaseId(),
                    AuditClaims.text(settings.actor()));
        } catch (RemoteCommandException e) {
            // best effort
        }
    }

    String journalTail(long since) {
        try {
            String from = Long.toString(Math.max(0, since));
            ExecResult r = watched == null ? host.call(settings.commandTimeout(), "journal", from, "200")
                    : host.call(settings.commandTimeout(), "bg-journal", watched, from, "200");
            String tail = mask.apply(JournalTail.ofLastStart(r.stdout(), 25));
            return tail.isEmpty() ? "" : "\nLast lines of the service's journal (secrets redacted):\n" + indent(tail);
        } catch (RemoteCommandException e) {
            return "";
        }
    }

    private static String indent(String text) {
        return "  | " + text.replace("\n", "\n  | ");
    }

    Map<String, String> serviceShow() throws RemoteCommandException {
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : (watched == null ? host.callChecked("systemctl show", settings.commandTimeout(), "show")
                : host.callChecked("systemctl show", settings.commandTimeout(), "bg-show", watched)).split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                out.put(line.substring(0, eq), line.substring(eq + 1).trim());
            }
        }
        return out;
    }

    long remoteNow() throws RemoteCommandException {
        return parseLong(host.callChecked("reading the clock", settings.commandTimeout(), "now").strip()) - 1;
    }

    /** Makes the release current in the host's history and writes its audit line (the helper writes it from what it knows, plus the result). */
    String record(String releaseId, String result) throws RemoteCommandException {
        return host.callChecked("recording the release", settings.commandTimeout(), "record", releaseId,
                Integer.toString(settings.keepReleases()), AuditClaims.text(result), AuditClaims.text(settings.actor()));
    }

    /** The new process must stay up for the settle time: same MainPID, no restart, still active (a crash right after ready). */
    String settle(long journalFrom) throws Exception {
        Map<String, String> first = serviceShow();
        long end = System.nanoTime() + settings.settle().toNanos();
        while (System.nanoTime() < end) {
            Thread.sleep(Math.min(500, Math.max(1, (end - System.nanoTime()) / 1_000_000)));
            Map<String, String> now = serviceShow();
            if (!"active".equals(now.get("ActiveState")) || !first.get("MainPID").equals(now.get("MainPID"))
                    || parseLong(now.get("NRestarts")) > parseLong(first.get("NRestarts"))) {
                throw new DeployFailedException("the service did not stay up for " + settings.settle().toSeconds() + " s after it became ready:"
                        + " it is " + now.get("ActiveState") + " (" + now.get("SubState") + "), main PID " + first.get("MainPID") + " -> "
                        + now.get("MainPID") + journalTail(journalFrom), true, false, null);
            }
        }
        return "up for " + settings.settle().toMillis() + " ms, PID " + first.get("MainPID");
    }

    static long parseLong(String s) {
        try {
            return s == null ? 0 : Long.parseLong(s.strip());
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
