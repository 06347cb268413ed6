package dev.litellmdeploy.cli.action;

import dev.litellmdeploy.cli.Printable;
import dev.litellmdeploy.cli.github.DeploymentState;
import dev.litellmdeploy.deployer.DeployResult;
import dev.litellmdeploy.deployer.HostResult;

/**
 * A run's outcomes as the GitHub deployment's state and description (the CLI's exit code is {@code Results.exitCode}): the
 * deployment says success when the new release is live on every host, including a host whose clean-up after the switch
 * failed, since that is what runs there.
 */
final class DeploymentOutcome {
    private DeploymentOutcome() {
    }

    static DeploymentState state(DeployResult result) {
        if (result.hosts().stream().allMatch(h -> h.outcome().ok() || h.outcome() == HostResult.Outcome.DEPLOYED_CLEANUP_FAILED)) {
            return DeploymentState.SUCCESS; // the new release is live everywhere: that is what the deployment says
        }
        boolean connection = result.hosts().stream().allMatch(h -> h.outcome() == HostResult.Outcome.CONNECTION_FAILED
                || h.outcome() == HostResult.Outcome.NOT_ATTEMPTED);
        return connection ? DeploymentState.ERROR : DeploymentState.FAILURE;
    }

    /** One log line per host; a host that failed is an error annotation. */
    static void report(DeployResult result, WorkflowCommands commands, java.io.PrintWriter out) {
        for (HostResult h : result.hosts()) {
            if (!h.outcome().ok() && h.outcome() != HostResult.Outcome.NOT_ATTEMPTED) {
                commands.error(null, 0, h.host() + ": " + h.message());
            } else {
                out.println(Printable.value(h.host().toString()) + ": " + h.outcome().name().toLowerCase(java.util.Locale.ROOT) + " - "
                        + Printable.text(h.message()));
            }
        }
    }

    /** The step outputs of a deploy, plan or rollback (config-sha256 is added by those that built). */
    static java.util.Map<String, String> outputs(long deploymentId, DeployResult result, ActionSettings s) {
        java.util.Map<String, String> outputs = new java.util.LinkedHashMap<>();
        outputs.put("deployment-id", deploymentId < 0 ? "" : Long.toString(deploymentId));
        outputs.put("changed", Boolean.toString(result.changed()));
        outputs.put("release", result.hosts().stream().map(HostResult::release).filter(r -> r != null).findFirst().orElse(""));
        outputs.put("environment-url", s.environmentUrl() == null ? "" : s.environmentUrl());
        return outputs;
    }

    static String description(DeployResult result) {
        long ok = result.hosts().stream().filter(h -> h.outcome().ok()).count();
        if (result.ok()) {
            return (result.changed() ? "Deployed to " : "Already up to date on ") + ok + " host(s)";
        }
        long cleanup = result.hosts().stream().filter(h -> h.outcome() == HostResult.Outcome.DEPLOYED_CLEANUP_FAILED).count();
        if (cleanup > 0 && ok + cleanup == result.hosts().size()) {
            return "Deployed to " + (ok + cleanup) + " host(s); a clean-up after the switch failed on " + cleanup + "; see the run log";
        }
        boolean rolledBack = result.hosts().stream().anyMatch(h -> h.outcome() == HostResult.Outcome.FAILED_ROLLED_BACK);
        boolean rollbackFailed = result.hosts().stream().anyMatch(h -> h.outcome() == HostResult.Outcome.ROLLBACK_FAILED);
        return "Failed on " + (result.hosts().size() - ok) + " of " + result.hosts().size() + " host(s)"
                + (rollbackFailed ? "; ROLLBACK FAILED" : rolledBack ? "; rolled back to the previous release" : "") + "; see the run log";
    }
}
