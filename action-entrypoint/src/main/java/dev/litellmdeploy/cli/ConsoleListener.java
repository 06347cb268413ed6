package dev.litellmdeploy.cli;

import java.time.Duration;

import dev.litellmdeploy.deployer.DeployListener;
import dev.litellmdeploy.deployer.DeploymentPlan;
import dev.litellmdeploy.deployer.HostTarget;

/** Prints each step as it finishes (stderr, so stdout stays for results), and progress on long waits. */
final class ConsoleListener implements DeployListener {
    private final Console console;
    private final boolean showPlan;

    ConsoleListener(Console console, boolean showPlan) {
        this.console = console;
        this.showPlan = showPlan;
    }

    @Override
    public void stepFinished(HostTarget host, String step, Duration took, String detail) {
        console.err().printf("%-22s %-14s %6d ms  %s%n", host, step, took.toMillis(), detail == null ? "" : detail);
        console.err().flush();
    }

    @Override
    public void progress(HostTarget host, String step, String message) {
        console.err().printf("%-22s %-14s  ...    %s%n", host, step, message);
        console.err().flush();
    }

    @Override
    public void planned(DeploymentPlan plan) {
        if (showPlan) {
            PlanPrinter.print(console, plan);
        }
    }
}
