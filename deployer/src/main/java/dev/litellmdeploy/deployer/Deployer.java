package dev.litellmdeploy.deployer;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import dev.litellmdeploy.deployer.bundle.Bundle;
import dev.litellmdeploy.deployer.remote.ConnectionException;
import dev.litellmdeploy.deployer.remote.RemoteHost;
import dev.litellmdeploy.deployer.ssh.SshConnector;
import dev.litellmdeploy.deployer.ssh.SshSettings;

/**
 * The deployer's entry point: plan or deploy a bundle to hosts (bounded parallel, or rolling:
 * one at a time, stopping at the first failure), with one SSH connection per host.
 */
public final class Deployer {
    private final SshSettings ssh;
    private final DeploySettings settings;
    private final DeployListener listener;
    private final java.time.Clock clock;

    public Deployer(SshSettings ssh, DeploySettings settings, DeployListener listener) {
        this(ssh, settings, listener, java.time.Clock.systemUTC());
    }

    /** With the clock new release ids are named from (only names: the host's own history orders releases). */
    public Deployer(SshSettings ssh, DeploySettings settings, DeployListener listener, java.time.Clock clock) {
        this.ssh = ssh;
        this.settings = settings;
        this.listener = listener == null ? DeployListener.NONE : listener;
        this.clock = clock;
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
        try (SshConnector connector = new SshConnector(ssh)) {
            if (settings.rolling() || hosts.size() == 1) {
                List<HostResult> results = new ArrayList<>();
                boolean stopped = false;
                for (HostTarget h : hosts) {
                    if (stopped) {
                        results.add(new HostResult(h, HostResult.Outcome.NOT_ATTEMPTED, null, null, List.of(),
                                "not attempted: an earlier host failed (rolling)"));
                        continue;
                    }
                    HostResult r = one(connector, bundle, h, dryRun);
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
                    futures.add(pool.submit(() -> one(connector, bundle, h, dryRun)));
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
            } catch (java.util.concurrent.ExecutionException e) {
                throw new IllegalStateException(e.getCause());
            } finally {
                pool.shutdownNow();
            }
        }
    }

    /** What runs on each host: release, service state, readiness, models served. */
    public List<HostStatus> status(List<HostTarget> hosts) throws ConnectionException {
        try (SshConnector connector = new SshConnector(ssh)) {
            List<HostStatus> out = new ArrayList<>();
            for (HostTarget h : hosts) {
                try (RemoteHost host = connector.connect(h.host(), h.port(), settings.helper())) {
                    out.add(new HostDeployment(h, host, null, settings, listener).status());
                } catch (Exception e) {
                    out.add(new HostStatus(h, null, null, null, null, 0, false, List.of(), List.of(), e.getMessage(), null));
                }
            }
            return out;
        }
    }

    /** Switches each host back to a release (the previous one when {@code release} is null), one host at a time. */
    public DeployResult rollback(List<HostTarget> hosts, String release) throws ConnectionException {
        try (SshConnector connector = new SshConnector(ssh)) {
            List<HostResult> results = new ArrayList<>();
            for (HostTarget h : hosts) {
                try (RemoteHost host = connector.connect(h.host(), h.port(), settings.helper())) {
                    HostDeployment d = new HostDeployment(h, host, null, settings, listener);
                    try {
                        results.add(d.rollbackTo(release));
                    } catch (DeployFailedException e) {
                        results.add(new HostResult(h, e.filesInstalled() ? HostResult.Outcome.ROLLBACK_FAILED : HostResult.Outcome.FAILED,
                                null, null, d.timings(), e.getMessage()));
                    } catch (ConnectionException e) {
                        results.add(new HostResult(h, HostResult.Outcome.CONNECTION_FAILED, null, null, d.timings(), e.getMessage()));
                    } catch (Exception e) {
                        results.add(new HostResult(h, HostResult.Outcome.FAILED, null, null, d.timings(), e.getMessage()));
                    }
                } catch (ConnectionException e) {
                    results.add(new HostResult(h, HostResult.Outcome.CONNECTION_FAILED, null, null, List.of(), e.getMessage()));
                }
            }
            results.forEach(listener::finished);
            return new DeployResult(results);
        }
    }

    /** The service's journal on one host, the secrets of every release kept there masked. */
    public void logs(HostTarget h, int lines, boolean follow, java.util.function.Consumer<String> out) throws Exception {
        try (SshConnector connector = new SshConnector(ssh); RemoteHost host = connector.connect(h.host(), h.port(), settings.helper())) {
            new HostDeployment(h, host, null, settings, listener).logs(lines, follow, out);
        }
    }

    private HostResult one(SshConnector connector, Bundle bundle, HostTarget h, boolean dryRun) {
        long start = System.nanoTime();
        listener.stepStarted(h, "connect");
        RemoteHost host;
        try {
            host = connector.connect(h.host(), h.port(), settings.helper());
        } catch (ConnectionException e) {
            return new HostResult(h, HostResult.Outcome.CONNECTION_FAILED, null, null, List.of(), e.getMessage());
        }
        java.time.Duration took = java.time.Duration.ofNanos(System.nanoTime() - start);
        listener.stepFinished(h, "connect", took, host.describe());
        HostDeployment deployment = new HostDeployment(h, host, bundle, settings, listener).namingWith(clock)
                .reconnectingWith(() -> connector.connect(h.host(), h.port(), settings.helper()));
        try (host) {
            HostResult r = deployment.run(dryRun);
            List<StepTiming> steps = new ArrayList<>();
            steps.add(new StepTiming("connect", took, host.describe()));
            steps.addAll(r.steps());
            return new HostResult(h, r.outcome(), r.plan(), r.release(), List.copyOf(steps), r.message());
        } catch (ConnectionException e) {
            return new HostResult(h, HostResult.Outcome.CONNECTION_FAILED, null, null, deployment.timings(), e.getMessage());
        } catch (DeployFailedException e) {
            HostResult.Outcome outcome = e.rolledBack() ? HostResult.Outcome.FAILED_ROLLED_BACK
                    : e.filesInstalled() && e.getMessage().contains("ROLLBACK FAILED") ? HostResult.Outcome.ROLLBACK_FAILED
                    : HostResult.Outcome.FAILED;
            return new HostResult(h, outcome, null, null, deployment.timings(), deployment.mask().apply(e.getMessage()));
        } catch (Exception e) {
            return new HostResult(h, HostResult.Outcome.FAILED, null, null, deployment.timings(),
                    deployment.mask().apply(String.valueOf(e.getMessage())) + " (nothing was installed)");
        } finally {
            deployment.host().close();
        }
    }
}
