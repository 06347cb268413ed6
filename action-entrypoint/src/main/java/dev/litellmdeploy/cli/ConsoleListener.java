package dev.litellmdeploy.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.function.Consumer;

import dev.litellmdeploy.deployer.DeployListener;
import dev.litellmdeploy.deployer.DeploymentPlan;
import dev.litellmdeploy.deployer.HostTarget;

/** Prints each step as it finishes, and progress on long waits (control characters escaped); hands each plan to a consumer. */
public final class ConsoleListener implements DeployListener {
    private final PrintWriter steps;
    private final Consumer<DeploymentPlan> plans;

    public ConsoleListener(PrintWriter steps, Consumer<DeploymentPlan> plans) {
        this.steps = steps;
        this.plans = plans;
    }

    /** Steps on stderr (stdout stays for results), plans printed for people when asked. */
    ConsoleListener(Console console, boolean showPlan) {
        this(console.err(), showPlan ? plan -> PlanPrinter.print(console, plan) : plan -> { });
    }

    @Override
    public void stepFinished(HostTarget host, String step, Duration took, String detail) {
        steps.printf("%-22s %-14s %6d ms  %s%n", Printable.value(host.toString()), step, took.toMillis(),
                detail == null ? "" : Printable.text(detail));
        steps.flush();
    }

    @Override
    public void progress(HostTarget host, String step, String message) {
        steps.printf("%-22s %-14s  ...    %s%n", Printable.value(host.toString()), step, Printable.text(message));
        steps.flush();
    }

    @Override
    public void planned(DeploymentPlan plan) {
        plans.accept(plan);
    }
}
