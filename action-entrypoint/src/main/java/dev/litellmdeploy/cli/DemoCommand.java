package dev.litellmdeploy.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import dev.litellmdeploy.builder.BuildRequest;
import dev.litellmdeploy.builder.BuildResult;
import dev.litellmdeploy.builder.BundleOptions;
import dev.litellmdeploy.builder.ConfigBuilder;
import dev.litellmdeploy.cli.demo.DemoHost;
import dev.litellmdeploy.cli.demo.DemoWorkspace;
import dev.litellmdeploy.deployer.DeployResult;
import dev.litellmdeploy.deployer.DeploySettings;
import dev.litellmdeploy.deployer.Deployer;
import dev.litellmdeploy.deployer.HostStatus;
import dev.litellmdeploy.deployer.HostTarget;
import dev.litellmdeploy.deployer.bundle.Bundle;
import dev.litellmdeploy.deployer.ssh.HostKeyPolicy;
import dev.litellmdeploy.deployer.ssh.SshSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {
            "The whole flow on this machine: build examples/ into a bundle, start a throwaway systemd + OpenSSH host in",
            "Docker (the tests' image), deploy to it with host key verification, show its health and models and the plan",
            "of a second (no-op) deploy, then remove the host and every file it wrote (also on Ctrl-C). Its files live in",
            "a private directory under ~/.cache/litellm-deploy/demo, not /tmp. Needs a litellm-deploy checkout and Docker",
            "(on Debian as root, tools/prepare-host installs and starts Docker itself).",
        })
public final class DemoCommand implements Callable<Integer> {
    @Option(names = "--keep", description = {"Leave the host running and its files (bundle, SSH key) in place; prints what it",
        "left, how to reach it and how to remove it."})
    boolean keep;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Console console = new Console(spec.commandLine().getOut(), spec.commandLine().getErr());
        Path root = projectRoot();
        if (root == null) {
            console.problem("demo needs a litellm-deploy checkout (it builds examples/ and the test host image from it); run it as"
                    + " ./litellm-deploy demo from the checkout");
            return ExitCodes.USAGE;
        }
        if (!prepare(root, console)) {
            return ExitCodes.INTERNAL;
        }
        List<String> leftovers = new java.util.ArrayList<>();
        DemoWorkspace workspace = DemoWorkspace.create(leftovers);
        if (!leftovers.isEmpty()) {
            console.out().println("Removed what an earlier demo that was killed left: " + String.join(", ", leftovers));
        }
        Path work = workspace.dir();
        DemoHost host = null;
        try {
            console.out().println(console.bold("1. Build") + " examples/templates + examples/secrets -> " + work.resolve("bundle"));
            BuildResult built = new ConfigBuilder().build(BuildRequest.fromTemplates(root.resolve("examples/templates"),
                    root.resolve("examples/secrets"), work.resolve("bundle"), BundleOptions.defaults().withSourceRevision("demo")));
            built.warnings().forEach(console::finding);
            console.out().println("   " + built.manifest().models().size() + " model names: " + String.join(", ", built.manifest().models()));

            console.out().println(console.bold("2. Start") + " a throwaway systemd + OpenSSH host in Docker");
            console.out().flush();
            host = DemoHost.start(root, workspace);
            console.out().println("   container " + host.container() + ", ssh on 127.0.0.1:" + host.sshPort() + ", host key pinned from known_hosts");
            SshSettings ssh = new SshSettings("root", host.privateKeyText(), null, HostKeyPolicy.knownHosts(host.knownHostsLine()), null, null);
            List<HostTarget> targets = List.of(new HostTarget("127.0.0.1", host.sshPort()));
            Bundle bundle = Bundle.read(work.resolve("bundle"));

            console.out().println(console.bold("3. Deploy") + " (steps on stderr)");
            console.out().flush();
            DeployResult result = new Deployer(ssh, DeploySettings.defaults(), new ConsoleListener(console, true)).deploy(bundle, targets);
            Results.print(console, result, false);
            if (!result.ok()) {
                return Results.exitCode(result);
            }

            console.out().println(console.bold("4. Health and models"));
            HostStatus status = new Deployer(ssh, DeploySettings.defaults(), null).status(targets).get(0);
            console.out().println("   release " + status.release() + ", service " + status.activeState() + ", ready: " + (status.ready() ? "yes" : "no"));
            console.out().println("   /v1/models lists: " + String.join(", ", status.models()));

            console.out().println(console.bold("5. Plan of a second deploy") + " of the same bundle");
            console.out().flush();
            new Deployer(ssh, DeploySettings.defaults(), new ConsoleListener(console, true)).plan(bundle, targets);
            return ExitCodes.OK;
        } finally {
            if (keep) {
                workspace.keep();
                printKept(console, work, host);
            } else {
                workspace.close();
                console.out().println("Removed " + (host == null ? "" : "the demo host " + host.container() + " and ") + work
                        + " (the bundle with the example's secrets, the SSH key).");
            }
            console.out().flush();
        }
    }

    /** What --keep left, how to use it and how to remove it: exactly the container and the directory. */
    private static void printKept(Console console, Path work, DemoHost host) throws IOException {
        console.out().println(console.bold("Kept") + " (--keep):");
        if (host != null) {
            Path known = Files.writeString(work.resolve("known_hosts"), host.knownHostsLine() + "\n");
            console.out().println("   container " + host.container() + ": the host, ssh on 127.0.0.1:" + host.sshPort()
                    + ", the proxy on 127.0.0.1:" + host.servicePort());
            console.out().println("   " + work + " (0700): bundle/ (config.yaml holds the example's fake secrets), the SSH key id_ed25519, known_hosts");
            console.out().println("Reach it with:");
            console.out().println("   ssh -i " + host.privateKey() + " -o UserKnownHostsFile=" + known + " -p " + host.sshPort() + " root@127.0.0.1");
            console.out().println("   curl http://127.0.0.1:" + host.servicePort() + "/health/readiness");
            console.out().println("   (the master key for /v1/models is the fake one in examples/secrets/litellm.yaml)");
            console.out().println("Remove all of it with:");
            console.out().println("   docker rm -f " + host.container() + " && rm -rf " + work);
        } else {
            console.out().println("   " + work + " (0700): bundle/ (config.yaml holds the example's fake secrets); no host was started");
            console.out().println("Remove it with:");
            console.out().println("   rm -rf " + work);
        }
    }

    private static boolean prepare(Path root, Console console) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("bash", root.resolve("tools/prepare-host").toString()).redirectOutput(ProcessBuilder.Redirect.INHERIT)
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        if (!p.waitFor(15, TimeUnit.MINUTES) || p.exitValue() != 0) {
            console.problem("this machine is not ready for the demo (see above): it needs a running Docker engine");
            return false;
        }
        return true;
    }

    /** LITELLM_DEPLOY_HOME (the launcher sets it), else the nearest parent of the working directory with examples/ and tools/. */
    static Path projectRoot() {
        String home = System.getenv("LITELLM_DEPLOY_HOME");
        if (home != null && Files.isDirectory(Path.of(home, "examples"))) {
            return Path.of(home);
        }
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            if (Files.isDirectory(d.resolve("examples")) && Files.isRegularFile(d.resolve("tools/prepare-host"))) {
                return d;
            }
        }
        return null;
    }
}
