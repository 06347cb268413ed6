package dev.litellmdeploy.deployer.steps;

import java.util.List;

/**
 * How to put back what a step changed: the steps to run, what they restore, and the sentence the report ends with once they
 * did. Values: the runner keeps one of each on its stack.
 */
public record Undo(Restores restores, List<Step> steps, String says, boolean onlyWhenTheReleaseFailed) {

    public Undo(Restores restores, List<Step> steps, String says) {
        this(restores, steps, says, false);
    }

    public Undo(Restores restores, Step step, String says) {
        this(restores, List.of(step), says, false);
    }

    /** What an undo gives back, from least to most; the worst one that ran decides the outcome. */
    public enum Restores {
        /** Bookkeeping (the failed release marked, the history put back): best effort, a failure is ignored. */
        BOOKKEEPING,
        /** Stops what never served (a new color that did not get traffic): nothing that served changed. */
        NOTHING_SERVED,
        /** The release that ran before runs again and is proven ready. */
        PREVIOUS,
        /** Nothing ran before: the failed service is stopped and disabled. */
        STOPPED
    }
}
