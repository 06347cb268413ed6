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
        if (to != null && !to.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,127}")) {
            throw new IllegalArgumentException("--to '" + to.replaceAll("\\p{Cntrl}", "?") + "' is not a release name (like 20261201T120000Z-0123456789ab;"
                    + " `litellm-deploy status` lists them)");
        }
        DeployResult result = new Deployer(connection.ssh(), options.settings(), new ConsoleListener(console, false))
                .rollback(connection.targets(), to);
        Results.print(console, result, json);
        return Results.exitCode(result);
    }
}
