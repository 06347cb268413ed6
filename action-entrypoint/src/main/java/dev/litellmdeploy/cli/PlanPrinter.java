package dev.litellmdeploy.cli;

import dev.litellmdeploy.deployer.DeploymentPlan;

/**
 * A plan for people: what changes, whether the service restarts, the steps (then each step of the program with its
 * arguments: exactly what {@code deploy} runs), the redacted diff; every value {@link Printable}.
 */
final class PlanPrinter {
    private PlanPrinter() {
    }

    static void print(Console console, DeploymentPlan p) {
        var out = console.out();
        out.println(console.bold("Plan for " + Printable.value(p.host().toString())) + (p.noop() ? ": nothing to do (already running this bundle)" : ""));
        out.println("  current release: " + (p.adopting() != null ? Printable.value(p.adopting()) : p.current() == null ? "none (first deploy)" : Printable.value(p.current())));
        out.println("  new release:     " + Printable.value(p.releaseId()));
        out.println("  changes:         " + (p.changedFiles().isEmpty() ? "none" : Printable.values(p.changedFiles()))
                + (p.installUv() ? "; install uv" : "") + (p.createUser() ? "; create the service user" : ""));
        out.println("  restart:         " + (p.restart() ? "yes (" + Printable.value(p.restartReason()) + ")" : "no"));
        out.println("  steps:           " + Printable.values(p.steps(), " -> "));
        p.program().forEach(step -> out.println("    " + String.format("%-16s", Printable.value(step.name())) + " " + Printable.value(step.args())));
        if (p.drift().drifted()) {
            // what was edited on the server and how many lines, never its lines: they are the installed files, secrets in clear
            out.println("  drift:           the server differs from its recorded release " + Printable.value(p.current())
                    + "; this deploy repairs it (installed files are not shown, only what changed and how many lines)");
            p.drift().lines().forEach(l -> out.println("    drift: " + Printable.value(l)));
        }
        if (!p.diff().isEmpty()) {
            out.println("  config diff (secrets redacted):");
            p.diff().lines().forEach(l -> out.println("    " + Printable.value(l)));
        } else if (p.changedFiles().contains("config.yaml") && !p.drift().touchesConfig()) {
            out.println("  config diff:     only secret values changed");
        } else if (p.drift().touchesConfig()) {
            out.println("  config diff:     none between the bundle and the recorded release; the installed config.yaml drifted (above)");
        }
        out.flush();
    }
}
