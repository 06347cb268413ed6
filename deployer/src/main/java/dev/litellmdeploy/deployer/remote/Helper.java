package dev.litellmdeploy.deployer.remote;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The root helper's verbs as Java methods, over one connection: typed arguments in, typed replies out (each a
 * {@link Reply} of {@code key=value} lines). The one place that knows verb names and argument order; the helper script
 * (helper-*.sh) is the other side, and {@link #PROTOCOL} is the version both sides speak (the {@code state} read answers it).
 */
public final class Helper {
    /**
     * The reply format version; the helper's {@code state} prints {@code protocol=}this. 3: the lock's process also
     * runs the deploy's further verbs, one request line each ({@code serve_requests}, {@code LockedHost}). 4: {@code probe}
     * (readiness and models from the server's side), {@code upload} on the lock's channel with {@code THEN}, and
     * {@code env-build}'s index, mirror and netrc arguments.
     */
    public static final int PROTOCOL = 4;
    /** install's exit status when it wrote none of a release's files into place (a full disk): nothing changed. */
    public static final int NOT_INSTALLED = 7;
    /** bg-switch's exit status when it changed nothing (the color does not serve its port, nginx missing or refused the site). */
    public static final int NOT_SWITCHED = 5;

    private final RemoteHost host;
    private final Duration timeout;

    public Helper(RemoteHost host, Duration timeout) {
        this.host = host;
        this.timeout = timeout;
    }

    /** A (re)start: NRestarts before it (the baseline a crash loop is measured from) and the host's clock (journal lines from then). */
    public record Started(long restartsBefore, long since) {
        /** No start happened (a no-op deploy): no crash-loop baseline, the whole journal. */
        public static final Started NONE = new Started(-1, 0);
    }

    /** systemctl's view of a unit. */
    public record ServiceState(String active, String sub, long restarts, String mainPid) {
        public boolean failedOrStopped() {
            return "failed".equals(active) || "inactive".equals(active) || "auto-restart".equals(sub);
        }
    }

    /** What the old color's drain left: true when no connection was open at the end. */
    public record Drained(boolean drained, long open) {
    }

    /**
     * The verb refused before it changed anything: install wrote none of the files (exit {@link #NOT_INSTALLED}), or
     * bg-switch found the color not serving, or nginx refused the new site and the old one is back (exit {@link #NOT_SWITCHED}).
     */
    public static final class NothingChanged extends Exception {
        public NothingChanged(String message) {
            super(message);
        }
    }

    public RemoteHost host() {
        return host;
    }

    public String commit(String release, String bundleId, String checksums, String unitParams) throws RemoteCommandException {
        return checked("checking and committing the upload", "commit", release, bundleId, checksums, unitParams);
    }

    public String ensureUser() throws RemoteCommandException {
        return checked("creating the service user", "ensure-user");
    }

    /** Writes the release's files into place (all staged, then renamed), then daemon-reload and enable if asked. */
    public void install(String release, boolean daemonReload, boolean enable) throws RemoteCommandException, NothingChanged {
        List<String> args = new ArrayList<>(List.of(release));
        if (daemonReload) {
            args.add("daemon-reload");
        }
        if (enable) {
            args.add("enable");
        }
        ExecResult r = host.call(timeout, "install", args.toArray(String[]::new));
        if (r.exitStatus() == NOT_INSTALLED) {
            throw new NothingChanged(r.stderr().strip().replaceFirst("^NOT-INSTALLED: ", "").replaceFirst("; nothing was installed$", ""));
        }
        check("installing the release", r);
    }

    /**
     * Drift repaired: the managed units' drop-ins moved aside into the release's folder, the colors named get their files again
     * from their recorded releases (nothing restarts), daemon-reload. Returns the moved= and reinstalled= lines.
     */
    public Reply repairDrift(String release, List<String> colors) throws RemoteCommandException {
        List<String> args = new ArrayList<>(List.of(release));
        args.addAll(colors.isEmpty() ? List.of("-") : colors);
        return reply("repair-drift", checked("repairing drift", "repair-drift", args.toArray(String[]::new)));
    }

    public Started restart() throws RemoteCommandException {
        return started("restart", checked("restarting the service", "restart"));
    }

    /** A kept release's files into place, daemon-reload, restart: a rollback in restart mode. */
    public void switchTo(String release) throws RemoteCommandException {
        checked("installing " + release, "switch", release);
    }

    /** Stops and disables the single service (a failed first deploy). */
    public void stop() throws RemoteCommandException {
        checked("stopping the service", "stop");
    }

    /** The state of the single service (color null) or a blue-green color's. */
    public ServiceState show(String color) throws RemoteCommandException {
        Reply r = color == null ? reply("show", checked("systemctl show", "show")) : reply("bg-show", checked("systemctl show", "bg-show", color));
        return new ServiceState(r.get("ActiveState", ""), r.get("SubState", ""), parse(r.get("NRestarts", "0")), r.get("MainPID", "0"));
    }

    /**
     * What {@code probe} saw on the server: readiness (0: nothing answered); when not ready, liveliness and systemd's view
     * of the unit ({@code stopped}: it failed, stopped or restarted, so the polling ended early); when ready, /v1/models
     * with the key (status, body, whether the body was cut at 1 MiB) and without it ({@code open}).
     */
    public record Probed(int ready, int live, boolean stopped, ServiceState state, int models, String modelsBody, boolean modelsCut, int open) {
        public boolean isReady() {
            return ready == 200;
        }
    }

    /**
     * Readiness polled on the server for up to {@code waitMillis} (0: once), then /v1/models with {@code masterKey} (null:
     * none) and without: one round trip on the lock's channel. Only where {@link RemoteHost#argumentsStayPrivate}: the
     * key is an argument. Null when the helper could not answer it (then the port-forward is the way).
     */
    public Probed probe(int port, long waitMillis, String color, long restartsBefore, String masterKey) throws RemoteCommandException {
        if (!host.argumentsStayPrivate()) {
            throw new IllegalStateException("probe sends the master key as an argument: only on the lock's channel");
        }
        return probed(host.call(timeout.plusMillis(waitMillis), "probe", probeArgs(port, waitMillis, color, restartsBefore, masterKey)));
    }

    /** probe's arguments (for a request sent ahead of the state read: {@code RemoteLock.acquire}). */
    public static String[] probeArgs(int port, long waitMillis, String color, long restartsBefore, String masterKey) {
        return new String[] {Integer.toString(port), Long.toString(waitMillis), color == null ? "-" : color,
                restartsBefore < 0 ? "-" : Long.toString(restartsBefore), masterKey == null ? "" : masterKey};
    }

    /** probe's reply, or null when it failed (a helper without the verb: the caller falls back to the port-forward). */
    public static Probed probed(ExecResult r) {
        if (r == null || !r.ok()) {
            return null;
        }
        Reply p = reply("probe", r.stdout());
        int ready = (int) parse(p.get("ready", "0"));
        ServiceState state = ready == 200 ? null
                : new ServiceState(p.get("ActiveState", ""), p.get("SubState", ""), parse(p.get("NRestarts", "0")), p.get("MainPID", "0"));
        String body = new String(java.util.Base64.getDecoder().decode(p.get("models_body", "")), java.nio.charset.StandardCharsets.UTF_8);
        return new Probed(ready, (int) parse(p.get("live", "0")), "yes".equals(p.get("stopped", "no")), state, (int) parse(p.get("models", "0")), body,
                "yes".equals(p.get("models_cut", "no")), (int) parse(p.get("open", "0")));
    }

    /** The host's clock in epoch seconds. */
    public long now() throws RemoteCommandException {
        return reply("now", checked("reading the clock", "now")).number("now");
    }

    /** Journal lines of the single service (color null) or a color since an epoch second; "" when it cannot be read. */
    public String journal(String color, long since, int lines) {
        try {
            String from = Long.toString(Math.max(0, since));
            ExecResult r = color == null ? host.call(timeout, "journal", from, Integer.toString(lines))
                    : host.call(timeout, "bg-journal", color, from, Integer.toString(lines));
            return r.stdout();
        } catch (RemoteCommandException e) {
            return "";
        }
    }

    public String logs(int lines) throws RemoteCommandException {
        return checked("reading the journal", "logs", Integer.toString(lines));
    }

    public RemoteHost.RunningCommand followLogs(int lines, java.util.function.Consumer<String> out) throws RemoteCommandException {
        return host.start(out, l -> { }, "logs", Integer.toString(lines), "follow");
    }

    /** Takes the release out of the rollback targets: {@code releaseAtFault} marks it bad (FAILED), else only unproven. */
    public void markFailed(String release, boolean releaseAtFault) throws RemoteCommandException {
        checked("marking " + release + " failed", "mark-failed", release, releaseAtFault ? "release" : "deploy");
    }

    /** One audit line the helper writes from what it knows; result and actor are the deployer's claims (plain text). */
    public void audit(String result, String release, String actor) throws RemoteCommandException {
        checked("writing the audit log", "audit", AuditClaims.text(result), release == null ? "" : release, AuditClaims.text(actor));
    }

    /** Makes the release current in the host's history, prunes to {@code keep}, writes the audit line. */
    public String record(String release, int keep, String result, String actor) throws RemoteCommandException {
        return checked("recording the release", "record", release, Integer.toString(keep), AuditClaims.text(result), AuditClaims.text(actor));
    }

    public String state() throws RemoteCommandException {
        return checked("reading the current release", "state");
    }

    public String installUv(String fileName, String sha256) throws RemoteCommandException {
        return checked("installing uv", "install-uv", fileName, sha256);
    }

    public String installUvUrl(String url) throws RemoteCommandException {
        return checked("installing uv", "install-uv-url", url);
    }

    public String wheelhouse(String digest, String checksums) throws RemoteCommandException {
        return checked("installing the wheelhouse", "wheelhouse", digest, checksums);
    }

    /** Builds the environment of a release's requirements.lock (uv as the service user, hashes required); minutes, not seconds. */
    public String envBuild(String release, String lockSha256) throws RemoteCommandException {
        return check("building the Python environment", host.call(timeout.plusMinutes(15), "env-build", release, lockSha256));
    }

    /**
     * Builds it from this index and Python install mirror (URLs without credentials; "" for uv's default), with uv reading the
     * credentials from these netrc lines ("" for none), which go only over the lock's channel ({@link RemoteHost#callPrivately}).
     */
    public String envBuild(String release, String lockSha256, String index, String mirror, String netrc) throws RemoteCommandException {
        Duration t = timeout.plusMinutes(15);
        return check("building the Python environment", netrc.isEmpty() ? host.call(t, "env-build", release, lockSha256, index, mirror, "")
                : host.callPrivately(t, "env-build", release, lockSha256, index, mirror, netrc));
    }

    /** Removes an environment env-build made, unless another kept release or an installed unit names it. */
    public String envDrop(String lockSha256, String release) throws RemoteCommandException {
        return checked("removing the Python environment", "env-drop", lockSha256, release);
    }

    public String ensureProxy(List<String> packageFiles) throws RemoteCommandException {
        ExecResult r = host.call(timeout.plusMinutes(3), "ensure-proxy", packageFiles.toArray(String[]::new));
        return check("installing nginx", r);
    }

    /** Starts a release in a color on its loopback port. */
    public Started bgStart(String release, String color, int port) throws RemoteCommandException {
        return started("bg-start", checked("starting " + color, "bg-start", release, color, Integer.toString(port)));
    }

    /** nginx sends new requests to the color (its port from the helper's own state). */
    public void bgSwitch(String color) throws RemoteCommandException, NothingChanged {
        ExecResult r = host.call(timeout, "bg-switch", color);
        if (r.exitStatus() == NOT_SWITCHED) {
            throw new NothingChanged("switching the proxy to " + color + " changed nothing: " + r.stderr().strip());
        }
        check("switching the proxy", r);
    }

    public Drained bgDrain(String color, long seconds) throws RemoteCommandException {
        ExecResult r = host.call(Duration.ofSeconds(seconds + 30), "bg-drain", color, Long.toString(seconds));
        Reply reply = reply("bg-drain", check("draining " + color, r));
        return new Drained("yes".equals(reply.get("drained")), parse(reply.get("open", "0")));
    }

    /** After a move from restart: waits for the single service to stop; false when it had to be killed. */
    public boolean bgWaitStopped(long seconds) throws RemoteCommandException {
        ExecResult r = host.call(Duration.ofSeconds(seconds + 30), "bg-wait-stopped", Long.toString(seconds));
        return "yes".equals(reply("bg-wait-stopped", check("waiting for the service to stop", r)).get("stopped"));
    }

    /** Stops a color now (grace 0) or after the grace period. */
    public void bgRetire(String color, long graceSeconds) throws RemoteCommandException {
        checked("retiring " + color, "bg-retire", color, Long.toString(graceSeconds));
    }

    /** Back to restart mode: the proxy site removed, the colors stopped and removed. */
    public void bgLeave() throws RemoteCommandException {
        checked("leaving blue-green", "bg-leave");
    }

    public String adopt() throws RemoteCommandException {
        return checked("saving the existing unit", "adopt");
    }

    /** Puts the adopted setup back; the reply has was_active=yes|no, enabled, active and the port its ExecStart names. */
    public Reply restoreAdopted() throws RemoteCommandException {
        return reply("restore-adopted", checked("restoring the original setup", "restore-adopted"));
    }

    private Started started(String verb, String out) throws RemoteCommandException {
        Reply r = reply(verb, out);
        return new Started(r.number("restarts"), r.number("since") - 1);
    }

    private static Reply reply(String verb, String out) {
        return Reply.parse(verb, out);
    }

    private String checked(String what, String verb, String... args) throws RemoteCommandException {
        return check(what, host.call(timeout, verb, args));
    }

    private static String check(String what, ExecResult result) throws RemoteCommandException {
        if (!result.ok()) {
            throw new RemoteCommandException(what + " failed (exit " + result.exitStatus() + ")"
                    + (result.stderr().isBlank() ? "" : ": " + result.stderr().strip()), result.exitStatus(), result.stderr());
        }
        return result.stdout();
    }

    private static long parse(String s) {
        try {
            return Long.parseLong(s.strip());
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
