package dev.litellmdeploy.cli;

import dev.litellmdeploy.deployer.HelperScript;
import dev.litellmdeploy.deployer.RemoteLayout;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "helper", mixinStandardHelpOptions = true, showDefaultValues = true,
        description = {
            "Print the root helper to install on a server, or its sudoers line. Every root action of a deploy is a",
            "verb of this one script; installed root-owned and allowed alone in sudoers, it lets a deploy user",
            "deploy without a root shell: it refuses units that run as root, uv installer scripts, and paths",
            "outside the release directories. Use it with `deploy --sudo-helper PATH`.",
        },
        footer = {"", "Install once per server (as an admin):",
            "  litellm-deploy helper > litellm-deploy-helper",
            "  scp litellm-deploy-helper admin@server:",
            "  ssh admin@server sudo install -m 0755 -o root -g root litellm-deploy-helper " + HelperScript.DEFAULT_PATH,
            "  litellm-deploy helper --sudoers deploy | ssh admin@server 'sudo tee /etc/sudoers.d/litellm-deploy"
                    + " && sudo chmod 0440 /etc/sudoers.d/litellm-deploy && sudo visudo -c'",
            "Then deploy as that user:",
            "  litellm-deploy deploy --user deploy --sudo-helper " + HelperScript.DEFAULT_PATH + " ...",
            "A deploy refuses a helper that differs from this version's; reinstall it after upgrading litellm-deploy."})
public final class HelperCommand extends CliCommand {
    @Option(names = "--sudoers", paramLabel = "USER", description = "Print the sudoers line for USER instead of the script.")
    String sudoersUser;

    @Option(names = "--path", paramLabel = "PATH", defaultValue = HelperScript.DEFAULT_PATH, description = "Where the helper is installed.")
    String path;

    @Override
    public Integer call() {
        if (sudoersUser != null) {
            if (!sudoersUser.matches("[a-z_][a-z0-9_.-]{0,31}")) {
                throw new IllegalArgumentException("--sudoers needs a user name, not '" + sudoersUser + "'");
            }
            console().out().print(HelperScript.sudoers(sudoersUser, path));
        } else {
            console().out().print(HelperScript.render(RemoteLayout.defaults(), true));
        }
        console().out().flush();
        return ExitCodes.OK;
    }
}
