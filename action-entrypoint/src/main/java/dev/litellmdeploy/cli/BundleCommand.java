package dev.litellmdeploy.cli;

import java.nio.file.Path;

import dev.litellmdeploy.deployer.DeployResult;
import dev.litellmdeploy.deployer.Deployer;
import dev.litellmdeploy.deployer.bundle.Bundle;
import picocli.CommandLine.Option;

/** plan and deploy: a bundle to servers; they differ only in whether the plan is applied. */
abstract class BundleCommand extends RemoteCommand {
    @Option(names = {"--bundle", "-b"}, paramLabel = "DIR")
    Path bundle;

    /** Checks every input first (hosts, key, options), then reads the bundle, then talks to the servers. */
    DeployResult run(Console console, boolean apply) throws Exception {
        var targets = connection.targets();
        var ssh = connection.ssh();
        var settings = options.settings();
        Bundle b = Bundle.read(bundle);
        Deployer deployer = new Deployer(ssh, settings, new ConsoleListener(console, !json));
        String stages = settings.stages(b, targets);
        if (stages != null && !json) {
            console.out().println(Printable.text(stages));
        }
        return apply ? deployer.deploy(b, targets) : deployer.plan(b, targets);
    }
}
