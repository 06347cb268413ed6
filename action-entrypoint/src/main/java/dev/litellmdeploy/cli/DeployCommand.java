package dev.litellmdeploy.cli;

import dev.litellmdeploy.deployer.DeployResult;
import picocli.CommandLine.Command;

@Command(name = "deploy", mixinStandardHelpOptions = true, showDefaultValues = true, sortOptions = false,
        description = {
            "Deploy a bundle to one or more servers over SSH: verify the host key, take the host's lock, upload a new",
            "release, install it atomically, restart only if something changed, wait for /health/readiness, check",
            "/v1/models lists the bundle's models, record the release. A failure after install rolls back.",
        },
        footer = {"", "Example:",
            "  litellm-deploy deploy --bundle bundle --host agent.example.com --user deploy --key ~/.ssh/deploy_ed25519 \\",
            "      --known-hosts ~/.ssh/known_hosts"})
public final class DeployCommand extends BundleCommand {
    @Override
    public Integer call() throws Exception {
        Console console = console();
        DeployResult result = run(console, true);
        Results.print(console, result, json);
        return Results.exitCode(result);
    }
}
