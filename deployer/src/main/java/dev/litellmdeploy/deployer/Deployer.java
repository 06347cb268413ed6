package dev.litellmdeploy.deployer;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

import dev.litellmdeploy.deployer.bundle.Bundle;
import dev.litellmdeploy.deployer.bundle.SecretMask;
import dev.litellmdeploy.deployer.remote.ConnectionException;
import dev.litellmdeploy.deployer.remote.Connector;
import dev.litellmdeploy.deployer.remote.RemoteHost;
import dev.litellmdeploy.deployer.run.HostRun;
import dev.litellmdeploy.deployer.ssh.SshConnector;
import dev.litellmdeploy.deployer.ssh.SshSettings;

/**
 * The deployer's entry point: plan or deploy a bundle to hosts (bounded parallel, or rolling: one at a time, stopping at
 * the first failure), roll back, read status and logs, with one connection per host from the {@link Connector} given
 * (SSH in the product).
 */
public final class Deployer {
    private final Connector.Factory connectors;
    private final DeploySettings settings;
    private final DeployListener listener;
    private final Clock clock;
    private final HostRun.Retry reconnect;

    public Deployer(SshSettings ssh, DeploySettings settings, DeployListener listener) {
        this(ssh, settings, listener, Clock.systemUTC());
    }

    /** With the clock new release ids are named from (only names: the host's own history orders releases). */
    public Deployer(SshSettings ssh, DeploySettings settings, DeployListener listener, Clock clock) {
        this(() -> new SshConnector(ssh), settings, listener, clock);
    }

    /** With the connector that reaches the hosts (SSH in the product; an in-process host in fast failure-path tests). */
    public Deployer(Connector.Factory connectors, DeploySettings settings, DeployListener listener, Clock clock) {
        this(connectors, settings, listener, clock, HostRun.Retry.DEFAULT);
    }

    private Deployer(Connector.Factory connectors, DeploySettings settings, DeployListener listener, Clock clock, HostRun.Retry reconnect) {
        this.connectors = connectors;
        this.settings = settings;
        this.listener = listener == null ? DeployListener.NONE : listener;
        this.clock = clock;
        this.reconnect = reconnect;
    }

    /**
     * The same deployer, but a run that lost its connection after changing a host keeps reconnecting for {@code window}
     * with {@code pause} between tries (default {@link HostRun#RECONNECT_WINDOW}, 2 s): fast failure-path tests.
     */
    public Deployer reconnectingFor(Duration window, Duration pause) {
        return new Deployer(connectors, settings, listener, clock, new HostRun.Retry(window, pause));
    }

    public DeployResult deploy(Bundle bundle, List<HostTarget> hosts) throws ConnectionException {
        return run(bundle, hosts, false);
    }

    /** Computes and reports every host's plan (connect, preflight, lock, read, diff); changes nothing. */
    public DeployResult plan(Bundle bundle, List<HostTarget> hosts) throws ConnectionException {
        return run(bundle, hosts, true);
    }

    private DeployResult run(Bundle bundle, List<HostTarget> hosts, boolean dryRun) throws ConnectionException {
        WheelhouseUpload.checkMatches(bundle, settings);
        String smokeRefused = bundle == null ? null : settings.smoke().refusal(bundle);
        if (smokeRefused != null) {
            throw new IllegalArgumentException(smokeRefused);
        }
        PythonEnv.checkLock(bundle, settings.layout());
        try (Connector connector = connectors.open()) {
            if (!dryRun && settings.canary() > 0 && hosts.size() > settings.canary()) {
                return canaryFirst(connector, bundle, hosts);
            }
            return stage(connector, bundle, hosts, dryRun);
        }
    }

    /**
     * The canary stage: the first {@code canary} hosts get the release (smoke requests and settle there, as asked), and only
     * when every one of them succeeded do the rest. A canary that fails rolls itself back as any host does; the canaries that
     * had succeeded are rolled back too (to the release they ran before), and no other host is touched.
     */
    private DeployResult canaryFirst(Connector connector, Bundle bundle, List<HostTarget> hosts) {
        List<HostTarget> canaries = hosts.subList(0, settings.canary());
        List<HostTarget> rest = hosts.subList(settings.canary(), hosts.size());
        DeployResult first = stage(connector, bundle, canaries, false);
        List<HostResult> failed = first.hosts().stream().filter(r -> !r.outcome().ok()).toList();
        if (failed.isEmpty()) {
            List<HostResult> all = new ArrayList<>(first.hosts());
            all.addAll(stage(connector, bundle, rest, false).hosts());
            return new DeployResult(all);
        }
        String why = "the canary stage failed on " + failed.stream().map(r -> r.host().toString()).collect(java.util.stream.Collectors.joining(", "));
        List<HostResult> all = new ArrayList<>();
        for (HostResult r : first.hosts()) {
            String before = r.plan() == null ? null : r.plan().current();
            if (r.outcome() != HostResult.Outcome.SUCCESS || before == null || before.equals(r.release())) {
                // failed (and rolled back by itself), nothing changed there, or nothing ran before it to go back to
                all.add(before == null && r.outcome() == HostResult.Outcome.SUCCESS ? new HostResult(r.host(), r.outcome(), r.plan(),
                        r.release(), r.steps(), r.message() + "; " + why + ", but nothing ran here before this release, so it stays") : r);
                continue;
            }
            HostResult back = one(connector, r.host(), d -> d.rollbackTo(before), null);
            HostResult.Outcome outcome = back.outcome().ok() ? HostResult.Outcome.FAILED_ROLLED_BACK : HostResult.Outcome.ROLLBACK_FAILED;
            HostResult undone = new HostResult(r.host(), outcome, r.plan(), back.release(), back.steps(), "deployed " + r.release()
                    + ", then rolled back because " + why + ": " + back.message());
            listener.finished(undone);
            all.add(undone);
        }
        for (HostTarget h : rest) {
            HostResult skipped = new HostResult(h, HostResult.Outcome.NOT_ATTEMPTED, null, null, List.of(),
                    "not attempted: " + why + " (canary stage); nothing was changed here");
            listener.finished(skipped);
            all.add(skipped);
        }
        return new DeployResult(all);
    }

    /** One stage of hosts: one at a time (rolling: stop at the first failure) or in parallel. */
    private DeployResult stage(Connector connector, Bundle bundle, List<HostTarget> hosts, boolean dryRun) {
        if (settings.rolling() || hosts.size() == 1) {
            List<HostResult> results = new ArrayList<>();
            boolean stopped = false;
            for (HostTarget h : hosts) {
                if (stopped) {
                    results.add(new HostResult(h, HostResult.Outcome.NOT_ATTEMPTED, null, null, List.of(),
                            "not attempted: an earlier host failed (rolling)"));
                    continue;
                }
                HostResult r = one(connector, h, d -> d.run(dryRun), bundle);
                listener.finished(r);
                results.add(r);
                stopped = !r.outcome().ok() && settings.rolling();
            }
            return new DeployResult(results);
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(settings.parallelism(), hosts.size())));
        try {
            List<Future<HostResult>> futures = new ArrayList<>();
            for (HostTarget h : hosts) {
                futures.add(pool.submit(() -> one(connector, h, d -> d.run(dryRun), bundle)));
            }
            List<HostResult> results = new ArrayList<>();
            for (Future<HostResult> f : futures) {
                HostResult r = f.get();
                listener.finished(r);
                results.add(r);
            }
            return new DeployResult(results);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    /** What runs on each host: release, service state, readiness, models served. */
    public List<HostStatus> status(List<HostTarget> hosts) throws ConnectionException {
        try (Connector connector = connectors.open()) {
            List<HostStatus> out = new ArrayList<>();
            for (HostTarget h : hosts) {
                try (RemoteHost host = connector.connect(h.host(), h.port(), settings.helper())) {
                    out.add(new HostReads(host, settings).status(h));
                } catch (Exception e) {
                    out.add(new HostStatus(h, null, null, null, null, 0, false, List.of(), List.of(), e.getMessage(), null));
                }
            }
            return out;
        }
    }

    /** Switches each host back to a release (the previous one when {@code release} is null), one host at a time. */
    public DeployResult rollback(List<HostTarget> hosts, String release) throws ConnectionException {
        try (Connector connector = connectors.open()) {
            List<HostResult> results = new ArrayList<>();
            for (HostTarget h : hosts) {
                HostResult r = one(connector, h, d -> d.rollbackTo(release), null);
                listener.finished(r);
                results.add(r);
            }
            return new DeployResult(results);
        }
    }

    /** The service's journal on one host, the secrets of every release kept there masked. */
    public void logs(HostTarget h, int lines, boolean follow, Consumer<String> out) throws Exception {
        try (Connector connector = connectors.open(); RemoteHost host = connector.connect(h.host(), h.port(), settings.helper())) {
            new HostReads(host, settings).logs(lines, follow, out);
        }
    }

    private interface HostAction {
        HostResult on(HostDeployment deployment) throws Exception;
    }

    /** Connects, runs the action, and turns what escapes it into the one outcome it means. */
    private HostResult one(Connector connector, HostTarget h, HostAction action, Bundle bundle) {
        long start = System.nanoTime();
        listener.stepStarted(h, "connect");
        RemoteHost host;
        try {
            host = connector.connect(h.host(), h.port(), settings.helper());
        } catch (ConnectionException e) {
            return new HostResult(h, HostResult.Outcome.CONNECTION_FAILED, null, null, List.of(), e.getMessage());
        }
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        listener.stepFinished(h, "connect", took, host.describe());
        HostDeployment deployment = new HostDeployment(h, host, bundle, settings, listener).namingWith(clock)
                .reconnectingWith(() -> connector.connect(h.host(), h.port(), settings.helper())).retryingFor(reconnect);
        SecretMask mask = deployment.mask();
        try {
            return withConnect(action.on(deployment), took, host);
        } catch (ConnectionException e) {
            return new HostResult(h, HostResult.Outcome.CONNECTION_FAILED, null, null, deployment.timings(), mask.apply(e.getMessage()));
        } catch (Exception e) {
            // before the program ran (the lock, the state read, the plan): nothing was changed
            return new HostResult(h, HostResult.Outcome.FAILED_NOTHING_CHANGED, null, null, deployment.timings(),
                    mask.apply(String.valueOf(e.getMessage())) + " (nothing was changed)");
        } finally {
            deployment.host().close();
            host.close();
        }
    }

    private static HostResult withConnect(HostResult r, Duration took, RemoteHost host) {
        List<StepTiming> steps = new ArrayList<>();
        steps.add(new StepTiming("connect", took, host.describe()));
        steps.addAll(r.steps());
        return new HostResult(r.host(), r.outcome(), r.plan(), r.release(), List.copyOf(steps), r.message());
    }
}
