package dev.litellmdeploy.deployer.run;

import java.time.Duration;

import dev.litellmdeploy.deployer.StepTiming;
import dev.litellmdeploy.deployer.steps.Step;

/** Runs one step: tells the listener, times it, keeps its timing and (masked) detail. The only place steps are run. */
public final class StepRunner {
    private final Session session;

    public StepRunner(Session session) {
        this.session = session;
    }

    public String run(Step step) throws Exception {
        session.listener().stepStarted(session.target(), step.name());
        long start = System.nanoTime();
        String detail = session.mask().apply(String.valueOf(step.run(session)));
        recorded(step.name(), Duration.ofNanos(System.nanoTime() - start), detail);
        return detail;
    }

    /** A step timed elsewhere (the lock's three parts arrive on one channel, the reconnect loop). */
    public void recorded(String name, Duration took, String detail) {
        session.timings().add(new StepTiming(name, took, detail));
        session.listener().stepFinished(session.target(), name, took, detail);
    }
}
