package dev.litellmdeploy.deployer.run;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

import dev.litellmdeploy.deployer.DeployFailedException;
import dev.litellmdeploy.deployer.DeploymentPlan;
import dev.litellmdeploy.deployer.HostResult;
import dev.litellmdeploy.deployer.HostResult.Outcome;
import dev.litellmdeploy.deployer.ReleaseFailed;
import dev.litellmdeploy.deployer.probe.Probe;
import dev.litellmdeploy.deployer.remote.Helper;
import dev.litellmdeploy.deployer.remote.RemoteHost;
import dev.litellmdeploy.deployer.steps.Phase;
import dev.litellmdeploy.deployer.steps.Step;
import dev.litellmdeploy.deployer.steps.Undo;

/**
 * Runs a plan's program on one host, step by step, and decides the outcome from facts, never from text: each step that
 * changes the server pushes its undo before it runs; when a step fails the stack unwinds (after a reconnect when the
 * connection went), and what the undos that ran restored is the outcome. A failure after the commit (cleanup) leaves the
 * new release live. Every path writes one audit line.
 */
public final class HostRun {
    /** How long a run that lost its connection keeps trying to reconnect and undo. */
    public static final Duration RECONNECT_WINDOW = Duration.ofSeconds(90);

    /** How long to keep reconnecting, and the pause between tries (tests give a short window). */
    public record Retry(Duration window, Duration pause) {
        public static final Retry DEFAULT = new Retry(RECONNECT_WINDOW, Duration.ofSeconds(2));
    }

    /** A fresh connection to the same host with the deploy lock taken again. */
    public interface Reconnect {
        RemoteHost connect() throws Exception;
    }

    private final Session session;
    private final StepRunner runner;
    private final Reconnect reconnect;
    private final Retry retry;

    public HostRun(Session session, Reconnect reconnect) {
        this(session, reconnect, Retry.DEFAULT);
    }

    public HostRun(Session session, Reconnect reconnect, Retry retry) {
        this.session = session;
        this.runner = new StepRunner(session);
        this.reconnect = reconnect;
        this.retry = retry;
    }

    public StepRunner runner() {
        return runner;
    }

    /**
     * Runs the program.
     *
     * @param action    what the run is, for messages ("deploy of R to H")
     * @param untouched the sentence a failure ends with when nothing that serves had changed
     * @param onSuccess SUCCESS, or NOOP for a plan that changes nothing
     * @param success   the message when every step passed
     */
    public HostResult execute(DeploymentPlan plan, String action, String untouched, Outcome onSuccess, String success) {
        Deque<Undo> stack = new ArrayDeque<>();
        for (Step step : plan.program()) {
            Undo undo = step.undo();
            boolean pushed = undo != null && !stack.contains(undo);
            if (pushed) {
                stack.push(undo);
            }
            try {
                runner.run(step);
            } catch (Helper.NothingChanged e) {
                if (pushed) {
                    stack.remove(undo);
                }
                return failed(plan, action, untouched, step, e, stack);
            } catch (Exception e) {
                return failed(plan, action, untouched, step, e, stack);
            }
        }
        return result(plan, onSuccess, onSuccess == Outcome.NOOP ? plan.restoredRelease() : plan.releaseId(), success);
    }

    private HostResult failed(DeploymentPlan plan, String action, String untouched, Step step, Exception failure, Deque<Undo> stack) {
        if (failure instanceof InterruptedException) {
            Thread.currentThread().interrupt();
        }
        String reason = session.mask().apply(String.valueOf(failure.getMessage()));
        if (!(failure instanceof DeployFailedException) && step.startsTheService()
                && session.lastStart() != Helper.Started.NONE && session.host().connected()) {
            reason += Probe.journalTail(session);
        }
        if (step.phase() == Phase.CLEANUP) {
            audit(plan, "deployed; " + step.name() + " failed (" + why(failure) + ")");
            return result(plan, Outcome.DEPLOYED_CLEANUP_FAILED, plan.releaseId(), action + " is live, verified and recorded, but "
                    + step.name() + " failed afterwards: " + reason + "\nWhat served before may still run beside it (`litellm-deploy status`"
                    + " shows each color); the next deploy starts its release in that color, or stop it by hand.");
        }
        boolean serving = stack.stream().anyMatch(u -> u.restores() != Undo.Restores.BOOKKEEPING);
        if (!session.host().connected()) {
            if (!serving) {
                return result(plan, Outcome.FAILED_NOTHING_CHANGED, plan.restoredRelease(), sentence(reason) + untouched);
            }
            try {
                reason = reconnect(reason);
            } catch (Lost lost) {
                return result(plan, Outcome.ROLLBACK_FAILED, null, lost.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return result(plan, Outcome.ROLLBACK_FAILED, null, action + " was interrupted while reconnecting after: " + reason);
            }
        }
        String head = serving ? action + " failed at " + step.name() + ": " + reason : reason;
        Undo.Restores worst = null;
        // what each undo says, by what it restored: the message tells the level that decides the outcome (a color stopped after
        // a switch back "never received traffic" only when there was no switch)
        java.util.Map<Undo.Restores, List<String>> says = new java.util.EnumMap<>(Undo.Restores.class);
        boolean releaseAtFault = failure instanceof ReleaseFailed;
        session.undoing(releaseAtFault);
        while (!stack.isEmpty()) {
            Undo undo = stack.pop();
            try {
                String detail = undoOnce(undo);
                if (undo.restores() != Undo.Restores.BOOKKEEPING) {
                    worst = worst == null || undo.restores().compareTo(worst) > 0 ? undo.restores() : worst;
                    says.computeIfAbsent(undo.restores(), r -> new ArrayList<>()).add(undo.says().replace("%s", detail));
                }
            } catch (Exception e) {
                if (undo.restores() == Undo.Restores.BOOKKEEPING) {
                    continue;
                }
                bookkeeping(stack);
                audit(plan, "failed at " + step.name() + " (" + why(failure) + "); rollback failed");
                return result(plan, Outcome.ROLLBACK_FAILED, null, head + "\nROLLBACK FAILED too: " + session.mask().apply(String.valueOf(e.getMessage())));
            }
        }
        Outcome outcome = worst == null || worst == Undo.Restores.NOTHING_SERVED ? Outcome.FAILED_NOTHING_CHANGED
                : worst == Undo.Restores.PREVIOUS ? Outcome.FAILED_ROLLED_BACK : Outcome.FAILED_FIRST_DEPLOY_STOPPED;
        String end = worst == null ? untouched : String.join(" ", says.get(worst));
        audit(plan, "failed at " + step.name() + " (" + why(failure) + "); " + (outcome == Outcome.FAILED_ROLLED_BACK
                ? "rolled back to " + plan.restoredRelease() : outcome == Outcome.FAILED_FIRST_DEPLOY_STOPPED ? "service stopped" : "nothing changed")
                + (releaseAtFault ? "; release marked failed" : ""));
        String running = outcome == Outcome.FAILED_FIRST_DEPLOY_STOPPED ? null : plan.restoredRelease();
        return result(plan, outcome, running, (serving ? head + "\n" : sentence(head)) + end);
    }

    /** The first line of a failure, short, for the audit line (which takes plain text only, at most 160 characters). */
    private String why(Exception failure) {
        String first = session.mask().apply(String.valueOf(failure.getMessage())).lines().findFirst().orElse("").strip();
        return first.length() > 60 ? first.substring(0, 57) + "..." : first;
    }

    private static String sentence(String text) {
        return text.endsWith(".") ? text + " " : text + ". ";
    }

    /**
     * Runs one undo's steps. When the connection goes while it runs (a host that began rebooting after the failure, while
     * the connection was still up), it reconnects within the window and runs the undo again from its first step: every
     * undo puts a state back, so running it twice is running it once.
     */
    private String undoOnce(Undo undo) throws Exception {
        try {
            return runSteps(undo);
        } catch (Exception e) {
            if (undo.restores() == Undo.Restores.BOOKKEEPING || session.host().connected() || reconnect == null) {
                throw e;
            }
            try {
                reconnect(session.mask().apply(String.valueOf(e.getMessage())));
            } catch (Lost lost) {
                throw new dev.litellmdeploy.deployer.DeployFailedException(lost.getMessage(), e);
            }
            return runSteps(undo);
        }
    }

    private String runSteps(Undo undo) throws Exception {
        String detail = "";
        for (Step s : undo.steps()) {
            detail = runner.run(s);
        }
        return detail;
    }

    /** Runs what is left of the stack's bookkeeping (after an undo that failed: the rest cannot be trusted to help). */
    private void bookkeeping(Deque<Undo> stack) {
        for (Undo u : stack) {
            if (u.restores() == Undo.Restores.BOOKKEEPING) {
                try {
                    for (Step s : u.steps()) {
                        runner.run(s);
                    }
                } catch (Exception e) {
                    // best effort
                }
            }
        }
    }

    /** The connection dropped (a network cut, a reboot): reconnect within the window, lock again, then the undos run. */
    private String reconnect(String lost) throws Lost, InterruptedException {
        if (reconnect == null) {
            throw lost(lost, null);
        }
        long start = System.nanoTime();
        long deadline = start + retry.window().toNanos();
        session.listener().progress(session.target(), "reconnect", "lost the connection (" + lost + "); reconnecting for up to "
                + retry.window().toSeconds() + " s to roll back");
        while (true) {
            try {
                RemoteHost fresh = reconnect.connect();
                session.host().close();
                session.use(fresh);
                Duration took = Duration.ofNanos(System.nanoTime() - start);
                runner.recorded("reconnect", took, "reconnected after " + took.toMillis() + " ms, lock taken again");
                return "the connection was lost (" + lost + ") and came back after " + took.toMillis() + " ms";
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception e) {
                if (System.nanoTime() > deadline) {
                    // the last try's reason: the host unreachable, or reached with the lost session still holding the lock
                    throw lost(lost, String.valueOf(e.getMessage()));
                }
                Thread.sleep(retry.pause().toMillis());
            }
        }
    }

    /** @param lastTry why the last reconnect failed, or null when there was no reconnect to try */
    private Lost lost(String lost, String lastTry) {
        return new Lost("lost the connection to " + session.target() + " after the new release was installed (" + lost + ")"
                + (lastTry != null ? " and could not reconnect within " + retry.window().toSeconds() + " s (last try: " + lastTry + ")" : "")
                + ".\nROLLBACK FAILED: the host may be running the new release or be down. Check it with `litellm-deploy status`;"
                + " the next deploy repairs it (the deploy lock goes with the lost connection once the host notices it is gone).");
    }

    private static final class Lost extends Exception {
        Lost(String message) {
            super(message);
        }
    }

    private void audit(DeploymentPlan plan, String result) {
        try {
            session.helper().audit(result, plan.releaseId(), session.settings().actor());
        } catch (Exception e) {
            // best effort: the connection may be what failed
        }
    }

    private HostResult result(DeploymentPlan plan, Outcome outcome, String release, String message) {
        return new HostResult(session.target(), outcome, plan, release, List.copyOf(session.timings()), session.mask().apply(message));
    }
}
