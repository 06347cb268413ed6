package dev.litellmdeploy.cli;


import dev.litellmdeploy.deployer.Deployer;
import dev.litellmdeploy.deployer.HostTarget;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "logs", mixinStandardHelpOptions = true, showDefaultValues = true, sortOptions = false,
        description = "Show the service's journal on a server, with the secrets of every release kept there redacted.",
        footer = {"", "Example:", "  litellm-deploy logs --host agent.example.com --key ~/.ssh/deploy_ed25519 --known-hosts ~/.ssh/known_hosts -n 200 -f"})
public final class LogsCommand extends RemoteCommand {

    @Option(names = {"-n", "--lines"}, paramLabel = "N", defaultValue = "100", description = "How many recent lines.")
    int lines;

    @Option(names = {"-f", "--follow"}, description = "Keep printing new lines until interrupted (Ctrl-C).")
    boolean follow;

    @Override
    public Integer call() throws Exception {
        Console console = console();
        for (HostTarget h : connection.targets()) {
            new Deployer(connection.ssh(), options.settings(), null).logs(h, lines, follow, line -> {
                console.out().println(connection.targets().size() > 1 ? h + " " + Printable.text(line) : Printable.text(line));
                console.out().flush();
            });
        }
        return ExitCodes.OK;
    }
}
