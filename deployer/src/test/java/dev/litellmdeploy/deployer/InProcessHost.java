package dev.litellmdeploy.deployer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import dev.litellmdeploy.deployer.bundle.Bundle;
import dev.litellmdeploy.deployer.remote.ConnectionException;
import dev.litellmdeploy.deployer.remote.Connector;
import dev.litellmdeploy.deployer.remote.ExecResult;
import dev.litellmdeploy.deployer.remote.RemoteCommandException;
import dev.litellmdeploy.deployer.remote.RemoteHelper;
import dev.litellmdeploy.deployer.remote.RemoteHost;

/**
 * One server in process, for fast failure-path tests: an {@link InProcessServer} (the model of what the server holds and
 * its root helper's verbs, in the script's reply formats), connections to it ({@link InProcessConnection}, handed out by
 * {@link #connector}: helper verbs, the {@code lock} stream, uploads, port forwards to a loopback HTTP server answering for
 * whatever release the model says listens there), and the faults a test scripts: a verb fails (once or always; before it
 * changes anything, or after its effect, as a reply lost to an I/O error), the connection drops at a verb (noticed by the
 * host or not: then the lost session keeps the deploy lock), new connections are refused, a release never gets ready or
 * crash-loops (NRestarts grows at every look), nginx keeps the old upstream after a switch. The container tests stay the
 * truth; this is the fast net under them. Thread-safe: every call holds this object's lock.
 */
final class InProcessHost {
    static final String STATE = "/var/lib/litellm-deploy";
    static final String LOGIN_USER = "deploy";

    private enum When { BEFORE, AFTER, DROP, DROP_AFTER, DROP_KEEPING_LOCK }

    private record Fault(String verb, boolean always, When when, int exit, String stderr) {
    }

    final String name;
    private final InProcessServer server = new InProcessServer();
    private final List<String> calls = new ArrayList<>();
    private InProcessConnection.Lock lockHolder;
    private int connections;
    private boolean refuse;
    private final List<Fault> faults = new ArrayList<>();
    private final Map<String, List<Runnable>> after = new HashMap<>();

    InProcessHost(String name) {
        this.name = name;
    }

    /** A connector to these hosts, by name (port ignored). */
    static Connector.Factory connector(InProcessHost... hosts) {
        Map<String, InProcessHost> byName = new HashMap<>();
        for (InProcessHost h : hosts) {
            byName.put(h.name, h);
        }
        return () -> new Connector() {
            @Override
            public RemoteHost connect(String host, int port, RemoteHelper helper) throws ConnectionException {
                InProcessHost h = byName.get(host);
                if (h == null) {
                    throw new ConnectionException("ssh: Could not resolve hostname " + host + " (no such in-process host)");
                }
                return h.open();
            }

            @Override
            public void close() {
            }
        };
    }

    HostTarget target() {
        return new HostTarget(name, 22);
    }

    synchronized RemoteHost open() throws ConnectionException {
        if (refuse) {
            throw new ConnectionException("ssh: connect to host " + name + " port 22: Connection refused (in-process host refuses)");
        }
        connections++;
        return new InProcessConnection(this, connections);
    }

    // ---- faults a test scripts ----

    /** The next call of {@code verb} fails with this exit status and stderr, changing nothing. */
    synchronized InProcessHost failOnce(String verb, int exit, String stderr) {
        faults.add(new Fault(verb, false, When.BEFORE, exit, stderr));
        return this;
    }

    /** Every call of {@code verb} fails, changing nothing. */
    synchronized InProcessHost failAlways(String verb, int exit, String stderr) {
        faults.add(new Fault(verb, true, When.BEFORE, exit, stderr));
        return this;
    }

    /** The next call of {@code verb} does its work, then fails (an I/O error after the effect: the caller sees a failure). */
    synchronized InProcessHost failOnceAfterEffects(String verb, int exit, String stderr) {
        faults.add(new Fault(verb, false, When.AFTER, exit, stderr));
        return this;
    }

    /** The connection drops when {@code verb} is called (before it runs, or, afterEffects, after it ran: the reply is lost). */
    synchronized InProcessHost dropConnectionAt(String verb, boolean afterEffects) {
        faults.add(new Fault(verb, false, afterEffects ? When.DROP_AFTER : When.DROP, -1, ""));
        return this;
    }

    /**
     * The connection drops when {@code verb} is called, but the host does not notice (a network partition, no FIN): the lost
     * session's process keeps holding the deploy lock.
     */
    synchronized InProcessHost dropConnectionKeepingLockAt(String verb) {
        faults.add(new Fault(verb, false, When.DROP_KEEPING_LOCK, -1, ""));
        return this;
    }

    /** New connections are refused (true) or accepted again (false). */
    synchronized InProcessHost refuseConnections(boolean refused) {
        this.refuse = refused;
        return this;
    }

    /** Runs {@code action} once, right after the next call of {@code verb}. */
    synchronized InProcessHost afterVerb(String verb, Runnable action) {
        after.computeIfAbsent(verb, v -> new ArrayList<>()).add(action);
        return this;
    }

    /** A process of this bundle answers liveliness but never readiness. */
    synchronized InProcessHost neverReady(Bundle b) {
        server.neverReady.add(b.bundleId());
        return this;
    }

    /** A process of this bundle dies at once and systemd keeps restarting it. */
    synchronized InProcessHost crashLoops(Bundle b) {
        server.crashLoops.add(b.bundleId());
        return this;
    }

    /** nginx keeps sending to the color that was live before the last switch (a reload that did not take). */
    synchronized void proxyKeepsOldUpstream(int oldPort) {
        server.staleUpstream = oldPort;
    }

    // ---- what a test reads ----

    /** What env-build was given for this environment (InProcessServer.envSources). */
    synchronized String envSource(String lockSha256) {
        return server.envSources.get(lockSha256);
    }

    /** The Python environments the host holds (lock digests). */
    synchronized java.util.Set<String> envs() {
        return java.util.Set.copyOf(server.envs);
    }

    synchronized String current() {
        return server.current();
    }

    synchronized List<String> audit() {
        return server.audit();
    }

    synchronized String lastAudit() {
        return server.lastAudit();
    }

    /** Every verb called so far, in order. */
    synchronized List<String> calls() {
        return List.copyOf(calls);
    }

    synchronized int connections() {
        return connections;
    }

    synchronized boolean markedFailed(String release) {
        return server.markedFailed(release);
    }

    synchronized boolean unproven(String release) {
        return server.unproven(release);
    }

    synchronized String live() {
        return server.live();
    }

    /** "release active enabled" of the single service (color null) or a color, e.g. "r1 active enabled", "- inactive disabled". */
    synchronized String unit(String color) {
        return server.unit(color);
    }

    synchronized long pid(String color) {
        return server.pid(color);
    }

    /** The release whose files are installed for the single service (config.yaml, litellm.service), or null. */
    synchronized String installed() {
        return server.installed();
    }

    /** The release that answers on a port of the host's loopback (through the proxy on the public port), or null. */
    synchronized InProcessServer.Release servingOn(int port) {
        return server.servingOn(port);
    }

    synchronized boolean ready(InProcessServer.Release r) {
        return server.ready(r);
    }

    // ---- a connection's calls ----


    synchronized ExecResult call(InProcessConnection c, String verb, String... args) throws RemoteCommandException {
        if (!c.connected()) {
            throw new RemoteCommandException("the connection to " + c.describe() + " is closed", -1, "");
        }
        calls.add(verb);
        Fault f = fault(verb);
        if (f != null && f.when() == When.DROP_KEEPING_LOCK) {
            c.cut();
            throw lost(c, verb);
        }
        if (f != null && f.when() == When.DROP) {
            throw dropped(c, verb);
        }
        if (f != null && f.when() == When.BEFORE) {
            return new ExecResult(f.exit(), "", f.stderr() + "\n");
        }
        StringBuilder out = new StringBuilder();
        ExecResult r;
        try {
            server.run(verb, args, out);
            r = new ExecResult(0, out.toString(), "");
        } catch (InProcessServer.Fail e) {
            r = new ExecResult(e.code, out.toString(), e.getMessage() + "\n");
        }
        List<Runnable> hooks = after.remove(verb);
        if (hooks != null) {
            hooks.forEach(Runnable::run);
        }
        if (f != null && f.when() == When.DROP_AFTER) {
            throw dropped(c, verb);
        }
        return f != null && f.when() == When.AFTER ? new ExecResult(f.exit(), r.stdout(), f.stderr() + "\n") : r;
    }

    private RemoteCommandException dropped(InProcessConnection c, String verb) {
        drop(c);
        return lost(c, verb);
    }

    private static RemoteCommandException lost(InProcessConnection c, String verb) {
        return new RemoteCommandException("the connection to " + c.describe() + " was lost during " + verb + " (dropped by the in-process host)", -1, "");
    }

    synchronized void drop(InProcessConnection c) {
        c.cut();
        if (lockHolder != null && lockHolder.connection() == c) {
            lockHolder = null;
        }
    }

    private Fault fault(String verb) {
        for (Iterator<Fault> it = faults.iterator(); it.hasNext();) {
            Fault f = it.next();
            if (f.verb().equals(verb)) {
                if (!f.always()) {
                    it.remove();
                }
                return f;
            }
        }
        return null;
    }

    /** The lock verb: preflight, the lock and the state as the script streams them; true when the lock is held. */
    synchronized boolean lock(InProcessConnection.Lock lock, List<String> stdout, List<String> stderr, String... args) throws RemoteCommandException {
        calls.add("lock");
        Fault f = fault("lock");
        if (f != null && (f.when() == When.DROP || f.when() == When.DROP_AFTER)) {
            throw dropped(lock.connection(), "lock");
        }
        if (f != null || args.length != 4 || !InProcessServer.NUMBER.matcher(args[3]).matches()) {
            stderr.add(f != null ? f.stderr() : "usage: lock EXPECTED_SHA OWNER TIMEOUT NEED_KIB");
            return false;
        }
        stdout.add("free_kib=52428800");
        stdout.add("PREFLIGHT-OK");
        if (lockHolder != null && (lockHolder.isOpen() || !lockHolder.connection().connected())) {
            stdout.add("WAIT " + lockHolder.owner());
            stdout.add("BUSY " + lockHolder.owner());
            return false;
        }
        lockHolder = lock;
        stdout.add("LOCKED");
        StringBuilder state = new StringBuilder();
        server.state(state);
        stdout.addAll(state.toString().lines().toList());
        stdout.add("STATE-END");
        return true;
    }

    synchronized void unlock(InProcessConnection.Lock lock) {
        if (lockHolder == lock) {
            lockHolder = null;
        }
    }

    synchronized void upload(InProcessConnection c, Map<String, byte[]> files) throws RemoteCommandException {
        for (Map.Entry<String, byte[]> f : files.entrySet()) {
            if (!f.getKey().startsWith(c.stagingDir() + "/")) {
                throw new RemoteCommandException("sftp: permission denied: " + f.getKey(), -1, "");
            }
            server.staging.put(f.getKey(), f.getValue().clone());
        }
    }
}
