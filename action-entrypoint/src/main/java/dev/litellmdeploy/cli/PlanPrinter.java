package dev.litellmdeploy.cli;

import dev.litellmdeploy.deployer.DeploymentPlan;

/** A plan for people: what changes, whether the service restarts, the steps, the redacted diff. */
final class PlanPrinter {
    private PlanPrinter() {
    }

    static void print(Console console, DeploymentPlan p) {
        var out = console.out();
        out.println(console.bold("Plan for " + p.host()) + (p.noop() ? ": nothing to do (already running this bundle)" : ""));
        out.println("  current release: " + (p.adopting() != null ? p.adopting() : p.current() == null ? "none (first deploy)" : p.current()));
        out.println("  new release:     " + p.releaseId());
        out.println("  changes:         " + (p.changedFiles().isEmpty() ? "none" : String.join(", ", p.changedFiles()))
                + (p.installUv() ? "; install uv" : "") + (p.createUser() ? "; create the service user" : ""));
        out.println("  restart:         " + (p.restart() ? "yes (" + p.restartReason() + ")" : "no"));
        out.println("  steps:           " + String.join(" -> ", p.steps()));
        if (!p.diff().isEmpty()) {
            out.println("  config diff (secrets redacted):");
            p.diff().lines().forEach(l -> out.println("    " + l));
        } else if (p.changedFiles().contains("config.yaml")) {
            out.println("  config diff:     only secret values changed");
        }
        out.flush();
    }
}
