package dev.litellmdeploy.deployer.probe;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.litellmdeploy.deployer.DeployFailedException;
import dev.litellmdeploy.deployer.ReleaseFailed;
import dev.litellmdeploy.deployer.bundle.Bundle;
import dev.litellmdeploy.deployer.remote.Helper;
import dev.litellmdeploy.deployer.run.Session;

/**
 * Proves a started service: liveliness and readiness through the port-forward while systemd says it still runs, the
 * bundle's models on /v1/models with its master key, and (settle) that the same process stays up. Every failure carries
 * the service's journal from its last start, secrets masked.
 */
public final class Probe {
    /** How long one {@code probe} request polls readiness on the server before it answers (and progress is told). */
    private static final long SLICE_MILLIS = 5000;
    private final Session session;
    private final Readiness readiness;
    private final int port;
    private final String color;

    public Probe(Session session, int port) {
        this.session = session;
        this.readiness = session.readiness(port);
        this.port = port;
        this.color = session.watched();
    }

    /**
     * Polls readiness (a proxy that answers it is alive too), and liveliness only to say how far a proxy that is not ready
     * got; fails fast when the service dies or systemd restarts it (crash loop). On the lock's channel the server polls
     * ({@code probe}: one round trip per answer, with /v1/models read as soon as it is ready, for verify-models, and
     * systemd's view when it is not); elsewhere through the port-forward, one round trip per poll.
     */
    public String waitReady() throws Exception {
        Helper.Started start = session.lastStart();
        Duration timeout = session.settings().readyTimeout();
        long begin = System.nanoTime();
        long deadline = begin + timeout.toNanos();
        long nextProgress = begin + Duration.ofSeconds(5).toNanos();
        long nextServiceCheck = begin;
        boolean onServer = session.host().argumentsStayPrivate();
        Helper.Probed ahead = onServer ? session.takeProbedAhead(port, color) : null;
        String last = "";
        while (System.nanoTime() < deadline) {
            Helper.Probed p = ahead != null ? ahead : onServer
                    ? session.helper().probe(port, Math.min(SLICE_MILLIS, Math.max(0, (deadline - System.nanoTime()) / 1_000_000)), color,
                            start.restartsBefore(), session.bundle() == null ? null : session.bundle().masterKey())
                    : null;
            ahead = null;
            int ready = p != null ? p.ready() : readiness.status("/health/readiness");
            if (ready == 200) {
                if (p != null) {
                    session.provenReady(port, p);
                }
                return "ready after " + Duration.ofNanos(System.nanoTime() - begin).toMillis() + " ms";
            }
            int live = p != null ? p.live() : readiness.status("/health/liveliness");
            last = "liveliness " + (live == 0 ? "no answer" : live) + (live == 200 ? ", readiness " + (ready == 0 ? "no answer" : ready) : "");
            if (p != null || System.nanoTime() >= nextServiceCheck) {
                Helper.ServiceState s = p != null && p.state() != null ? p.state() : session.helper().show(color);
                boolean looping = start.restartsBefore() >= 0 && s.restarts() > start.restartsBefore();
                if (s.failedOrStopped() || looping) {
                    throw new ReleaseFailed("the service did not start: it is " + s.active() + " (" + s.sub() + ")"
                            + (looping ? " and systemd restarted it " + (s.restarts() - start.restartsBefore()) + " times" : "")
                            + journalTail());
                }
                nextServiceCheck = System.nanoTime() + Duration.ofSeconds(1).toNanos();
            }
            if (System.nanoTime() >= nextProgress) {
                session.listener().progress(session.target(), "wait-ready", "waiting for the proxy: "
                        + Duration.ofNanos(System.nanoTime() - begin).toSeconds() + " s, " + last
                        + " (a first start downloads Python and LiteLLM, which can take minutes)");
                nextProgress = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            }
            if (p == null) {
                Thread.sleep(100);
            }
        }
        throw new ReleaseFailed("the proxy was not ready within " + timeout.toSeconds() + " s (" + last + ")" + journalTail());
    }

    /** /v1/models with the bundle's master key lists every model of the bundle, and refuses a request without the key. */
    public String verifyModels() throws Exception {
        Bundle bundle = session.bundle();
        Helper.Probed proven = session.takeProvenReady(port); // read on the server with the readiness wait-ready proved
        List<String> served = proven != null ? Readiness.modelIds(proven.models(), proven.modelsBody(), proven.modelsCut())
                : readiness.models(bundle.masterKey());
        if (bundle.declaresMasterKey() && (proven != null ? proven.open() : readiness.status("/v1/models")) == 200) {
            // real LiteLLM starts when master_key resolves to nothing (os.environ/ of an unset variable) and then serves everyone
            throw new ReleaseFailed("the proxy serves /v1/models without a key although config.yaml sets a master key: the key"
                    + " did not reach LiteLLM (an os.environ/ reference to a variable the service does not have?)");
        }
        List<String> missing = new ArrayList<>(bundle.models());
        missing.removeAll(served);
        if (!missing.isEmpty()) {
            throw new ReleaseFailed("/v1/models does not list " + String.join(", ", missing) + " (it lists " + String.join(", ", served) + ")");
        }
        return served.size() + " models: " + String.join(", ", served);
    }

    /**
     * One chat completion per model (the smoke requests the user asked for): a model that does not answer 200 fails the
     * release, named with its status and LiteLLM's error text (secrets masked).
     */
    public String smoke(List<String> models) throws Exception {
        Bundle bundle = session.bundle();
        dev.litellmdeploy.deployer.Smoke how = session.settings().smoke();
        List<String> results = new ArrayList<>();
        for (String model : models) {
            Readiness.Answer a = readiness.chat(bundle.masterKey(), model, how.maxTokens(), how.timeout());
            if (a.status() != 200) {
                throw new ReleaseFailed("smoke request to " + model + " got " + (a.status() == 0 ? "no answer" : a.status())
                        + (results.isEmpty() ? "" : " (" + String.join(", ", results) + ")") + ": " + session.mask().apply(a.error()));
            }
            results.add(model + " 200 in " + a.millis() + " ms");
        }
        return String.join(", ", results);
    }

    /** Liveliness within 10 s (a proxy in front that just reloaded), then the bundle's models. */
    public String verifyThrough() throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        int status = 0;
        while (System.nanoTime() < deadline && (status = readiness.status("/health/liveliness")) != 200) {
            Thread.sleep(100);
        }
        if (status != 200) {
            throw new DeployFailedException("the proxy answered " + (status == 0 ? "nothing" : status));
        }
        session.takeProvenReady(port); // through the proxy, now: not what a wait-ready read before
        return verifyModels();
    }

    /**
     * The watched unit's process must stay up for the settle time: same MainPID, no restart, still active (a crash right after
     * ready). systemd's view only, so no port-forward.
     */
    public static String settle(Session session) throws Exception {
        String color = session.watched();
        Duration settle = session.settings().settle();
        Helper.ServiceState first = session.helper().show(color);
        long end = System.nanoTime() + settle.toNanos();
        while (System.nanoTime() < end) {
            Thread.sleep(Math.min(500, Math.max(1, (end - System.nanoTime()) / 1_000_000)));
            Helper.ServiceState now = session.helper().show(color);
            if (!"active".equals(now.active()) || !first.mainPid().equals(now.mainPid()) || now.restarts() > first.restarts()) {
                throw new ReleaseFailed("the service did not stay up for " + settle.toSeconds() + " s after it became ready: it is "
                        + now.active() + " (" + now.sub() + "), main PID " + first.mainPid() + " -> " + now.mainPid() + journalTail(session));
            }
        }
        return "up for " + settle.toMillis() + " ms, PID " + first.mainPid();
    }

    /** The watched unit's journal since its last start, from its last "Started" line, secrets masked; "" when empty. */
    public static String journalTail(Session session) {
        String raw = session.helper().journal(session.watched(), session.lastStart().since(), 200);
        String tail = session.mask().apply(JournalTail.ofLastStart(raw, 25));
        return tail.isEmpty() ? "" : "\nLast lines of the service's journal (secrets redacted):\n  | " + tail.replace("\n", "\n  | ");
    }

    private String journalTail() {
        return journalTail(session);
    }
}
