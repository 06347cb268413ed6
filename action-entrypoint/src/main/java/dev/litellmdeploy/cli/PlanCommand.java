package dev.litellmdeploy.cli;

import dev.litellmdeploy.deployer.DeployResult;
import picocli.CommandLine.Command;

@Command(name = "plan", mixinStandardHelpOptions = true, showDefaultValues = true, sortOptions = false,
        description = {
            "Show what `deploy` would do on each server: the files that changed, whether the service restarts, the",
            "steps, and the config diff with secrets redacted. Connects and reads; changes nothing.",
        },
        footer = {"", "Example:", "  litellm-deploy plan --bundle bundle --host agent.example.com --key ~/.ssh/deploy_ed25519 --fingerprint SHA256:..."})
public final class PlanCommand extends BundleCommand {
    @Override
    public Integer call() throws Exception {
        Console console = console();
        DeployResult result = run(console, false);
        if (json) {
            Results.print(console, result, true);
        } else {
            result.hosts().stream().filter(h -> h.plan() == null).forEach(h -> console.problem(h.host() + ": " + h.message()));
        }
        return Results.exitCode(result);
    }
}
