package dev.litellmdeploy.deployer.run;

import java.util.ArrayList;
import java.util.List;

import dev.litellmdeploy.deployer.DeployListener;
import dev.litellmdeploy.deployer.DeploySettings;
import dev.litellmdeploy.deployer.HostState;
import dev.litellmdeploy.deployer.HostTarget;
import dev.litellmdeploy.deployer.StepTiming;
import dev.litellmdeploy.deployer.bundle.Bundle;
import dev.litellmdeploy.deployer.bundle.SecretMask;
import dev.litellmdeploy.deployer.probe.Probe;
import dev.litellmdeploy.deployer.remote.Helper;
import dev.litellmdeploy.deployer.remote.RemoteHost;

/**
 * What the steps of one host's run share: the connection and its helper (replaced after a reconnect), the bundle being
 * put live (a deploy's, or the release a rollback returns to), the settings, the state read under the lock, the last
 * start (its crash-loop baseline and clock) and the timings so far. One per host and run; not shared across threads.
 */
public final class Session {
    private final HostTarget target;
    private Bundle bundle;
    private final DeploySettings settings;
    private final DeployListener listener;
    private SecretMask mask;
    private final HostState state;
    private final List<StepTiming> timings = new ArrayList<>();
    private RemoteHost host;
    private Helper helper;
    private Helper.Started lastStart = Helper.Started.NONE;
    private String watched;
    private boolean releaseAtFault;
    private final java.util.Map<Integer, dev.litellmdeploy.deployer.probe.Readiness> forwards = new java.util.HashMap<>();
    private final java.util.Map<Integer, Helper.Probed> provenReady = new java.util.HashMap<>();
    private int aheadPort;
    private java.util.concurrent.Callable<Helper.Probed> ahead;

    public Session(HostTarget target, RemoteHost host, Bundle bundle, HostState state, DeploySettings settings, DeployListener listener,
            SecretMask mask) {
        this.target = target;
        this.bundle = bundle;
        this.state = state;
        this.settings = settings;
        this.listener = listener;
        this.mask = mask;
        use(host);
    }

    /** After a reconnect: every later step talks over the new connection. */
    public void use(RemoteHost connection) {
        this.host = connection;
        this.helper = new Helper(connection, settings.commandTimeout());
        forwards.clear();
        provenReady.clear();
        ahead = null;
    }

    /**
     * The answer to a probe of the single service on {@code port} sent with the lock (before the state read, so it cost no
     * round trip), for a wait-ready that comes before anything changed the host (a no-op); null drops it.
     */
    public void probedAhead(int port, java.util.concurrent.Callable<Helper.Probed> answer) {
        this.aheadPort = port;
        this.ahead = answer;
    }

    /** The probe sent ahead, if it was of this port and the single service and nothing (re)started since; taken once. */
    public Helper.Probed takeProbedAhead(int port, String color) throws Exception {
        java.util.concurrent.Callable<Helper.Probed> a = ahead;
        ahead = null;
        return a != null && port == aheadPort && color == null && watched == null ? a.call() : null;
    }

    /** Readiness was proven on the server with /v1/models read in the same request: verify-models checks that answer. */
    public void provenReady(int port, Helper.Probed answer) {
        provenReady.put(port, answer);
    }

    /** The /v1/models answer taken with the readiness proven on this port since the last start, taken once; null if none. */
    public Helper.Probed takeProvenReady(int port) {
        return provenReady.remove(port);
    }

    /** HTTP to a port on the host's loopback, through one port-forward per port and connection. */
    public dev.litellmdeploy.deployer.probe.Readiness readiness(int port) {
        return forwards.computeIfAbsent(port, p -> new dev.litellmdeploy.deployer.probe.Readiness(host, p));
    }

    /** A rollback reads the release it puts live after the lock is taken: the steps from then on prove that one. */
    public void putLive(Bundle release, SecretMask releaseMask) {
        this.bundle = release;
        this.mask = releaseMask;
    }

    /** While undoing: whether the failure was the release's own (it failed its proof) rather than the deploy's. */
    public void undoing(boolean releaseFailed) {
        this.releaseAtFault = releaseFailed;
    }

    public boolean releaseAtFault() {
        return releaseAtFault;
    }

    public HostTarget target() {
        return target;
    }

    public RemoteHost host() {
        return host;
    }

    public Helper helper() {
        return helper;
    }

    public Bundle bundle() {
        return bundle;
    }

    /** The host's state as read under the lock, before the first step. */
    public HostState state() {
        return state;
    }

    public DeploySettings settings() {
        return settings;
    }

    public DeployListener listener() {
        return listener;
    }

    public SecretMask mask() {
        return mask;
    }

    public List<StepTiming> timings() {
        return timings;
    }

    /** A (re)start of the single service (color null) or a color: readiness and journal tails follow it from now on. */
    public void started(String color, Helper.Started how) {
        this.watched = color;
        this.lastStart = how;
        provenReady.clear();
        ahead = null;
    }

    public Helper.Started lastStart() {
        return lastStart;
    }

    /** The unit the last start was of: a blue-green color, or null for the single service. */
    public String watched() {
        return watched;
    }

    /** Readiness, journal and systemd checks of the service on {@code port} (the unit: the watched one). */
    public Probe probe(int port) {
        return new Probe(this, port);
    }
}
