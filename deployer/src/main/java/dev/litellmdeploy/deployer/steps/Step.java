package dev.litellmdeploy.deployer.steps;

import dev.litellmdeploy.deployer.run.Session;

/**
 * One thing a deploy does to one host, with its arguments: the planner returns the list of these that will run, {@code plan}
 * prints exactly that list, and {@link dev.litellmdeploy.deployer.run.StepRunner} runs exactly that list. A step that
 * changes the server says how to undo it ({@link #undo}); the runner keeps those on a stack and unwinds it when a later
 * step fails. Steps are values (records): two equal undos on the stack run once.
 */
public interface Step {
    /** The name the plan, the progress lines and the timings show ("install", "wait-ready", ...). */
    String name();

    /** The arguments, for the plan (never a secret); "" when there are none worth showing. */
    default String args() {
        return "";
    }

    Phase phase();

    /** Runs the step; returns a one-line detail for the timings (never a secret). */
    String run(Session session) throws Exception;

    /** Whether it (re)starts the service: a failure it throws without a journal tail gets the service's journal appended. */
    default boolean startsTheService() {
        return false;
    }

    /** What puts the server back if a LATER step fails (null: nothing to undo). Pushed before the step runs. */
    default Undo undo() {
        return null;
    }
}
