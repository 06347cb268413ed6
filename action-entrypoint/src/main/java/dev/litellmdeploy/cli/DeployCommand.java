package dev.litellmdeploy.cli;

import java.nio.file.Path;

import dev.litellmdeploy.deployer.DeployResult;
import dev.litellmdeploy.deployer.Deployer;
import dev.litellmdeploy.deployer.bundle.Bundle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "deploy", mixinStandardHelpOptions = true, showDefaultValues = true, sortOptions = false,
        description = {
            "Deploy a bundle to one or more servers over SSH: verify the host key, take the host's lock, upload a new",
            "release, install it atomically, restart only if something changed, wait for /health/readiness, check",
            "/v1/models lists the bundle's models, record the release. A failure after install rolls back.",
        },
        footer = {"", "Example:",
            "  litellm-deploy deploy --bundle bundle --host agent.example.com --user deploy --key ~/.ssh/deploy_ed25519 \\",
            "      --known-hosts ~/.ssh/known_hosts"})
public final class DeployCommand extends RemoteCommand {
    @Option(names = {"--bundle", "-b"}, paramLabel = "DIR", defaultValue = "bundle", description = "The bundle directory (from `litellm-deploy build`).")
    Path bundle;



    @Override
    public Integer call() throws Exception {
        Console console = console();
        var targets = connection.targets();
        var ssh = connection.ssh();
        var settings = options.settings();
        Bundle b = Bundle.read(bundle);
        DeployResult result = new Deployer(ssh, settings, new ConsoleListener(console, !json)).deploy(b, targets);
        Results.print(console, result, json);
        return Results.exitCode(result);
    }
}
