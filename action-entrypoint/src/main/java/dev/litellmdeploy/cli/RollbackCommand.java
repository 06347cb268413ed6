package dev.litellmdeploy.cli;


import dev.litellmdeploy.deployer.DeployResult;
import dev.litellmdeploy.deployer.Deployer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "rollback", mixinStandardHelpOptions = true, showDefaultValues = true, sortOptions = false,
        description = {"Switch servers back to an earlier release kept on them (the previous one by default), restart,",
            "and prove it ready. `status` lists the releases."},
        footer = {"", "Example:", "  litellm-deploy rollback --host agent.example.com --key ~/.ssh/deploy_ed25519 --known-hosts ~/.ssh/known_hosts"})
public final class RollbackCommand extends RemoteCommand {
    @Option(names = "--to", paramLabel = "RELEASE", description = "The release to return to (a name `status` lists). Default: the previous one.")
    String to;



    @Override
    public Integer call() throws Exception {
        Console console = console();
        DeployResult result = new Deployer(connection.ssh(), options.settings(), new ConsoleListener(console, false))
                .rollback(connection.targets(), to);
        Results.print(console, result, json);
        return Results.exitCode(result);
    }
}
