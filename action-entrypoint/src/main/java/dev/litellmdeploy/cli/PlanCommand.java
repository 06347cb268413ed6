package dev.litellmdeploy.cli;

import java.nio.file.Path;

import dev.litellmdeploy.deployer.DeployResult;
import dev.litellmdeploy.deployer.Deployer;
import dev.litellmdeploy.deployer.bundle.Bundle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "plan", mixinStandardHelpOptions = true, showDefaultValues = true, sortOptions = false,
        description = {
            "Show what `deploy` would do on each server: the files that changed, whether the service restarts, the",
            "steps, and the config diff with secrets redacted. Connects and reads; changes nothing.",
        },
        footer = {"", "Example:", "  litellm-deploy plan --bundle bundle --host agent.example.com --key ~/.ssh/deploy_ed25519 --fingerprint SHA256:..."})
public final class PlanCommand extends RemoteCommand {
    @Option(names = {"--bundle", "-b"}, paramLabel = "DIR", defaultValue = "bundle", description = "The bundle directory (from `litellm-deploy build`).")
    Path bundle;



    @Override
    public Integer call() throws Exception {
        Console console = console();
        var targets = connection.targets();
        var ssh = connection.ssh();
        var settings = options.settings();
        DeployResult result = new Deployer(ssh, settings, new ConsoleListener(console, !json)).plan(Bundle.read(bundle), targets);
        if (json) {
            Results.print(console, result, true);
        } else {
            result.hosts().stream().filter(h -> h.plan() == null).forEach(h -> console.problem(h.host() + ": " + h.message()));
        }
        return Results.exitCode(result);
    }
}
