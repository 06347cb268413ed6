package dev.litellmdeploy.cli;

import java.util.List;

import dev.litellmdeploy.deployer.Deployer;
import dev.litellmdeploy.deployer.HostStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "status", mixinStandardHelpOptions = true, showDefaultValues = true, sortOptions = false,
        description = "Show what each server runs: the current release, the service state, readiness, the models served, the releases kept, and its last runs (the host's audit log: a failed one says where and why it failed and what runs now).",
        footer = {"", "Example:", "  litellm-deploy status --host agent.example.com --key ~/.ssh/deploy_ed25519 --known-hosts ~/.ssh/known_hosts"})
public final class StatusCommand extends RemoteCommand {


    @Override
    public Integer call() throws Exception {
        Console console = console();
        List<HostStatus> statuses = new Deployer(connection.ssh(), options.settings(), null).status(connection.targets());
        if (json) {
            console.out().println(Results.JSON.writeValueAsString(statuses));
        } else {
            for (HostStatus s : statuses) {
                if (s.error() != null) {
                    console.problem(Printable.value(s.host().toString()) + ": " + s.error());
                    continue;
                }
                console.out().println(console.bold(Printable.value(s.host().toString())));
                console.out().println("  release:  " + (s.release() == null ? "none deployed" : Printable.value(s.release()))
                        + (s.revision() == null ? "" : " (revision " + Printable.value(s.revision()) + ")"));
                console.out().println("  service:  " + Printable.value(s.activeState()) + (s.mainPid() > 0 ? " (pid " + s.mainPid() + ")" : ""));
                console.out().println("  ready:    " + (s.ready() ? "yes" : "no"));
                console.out().println("  models:   " + Printable.values(s.models()));
                console.out().println("  releases: " + Printable.values(s.releases()));
                if (!s.history().isEmpty()) {
                    console.out().println("  history (the host's audit log, last " + s.history().size() + "):");
                    for (HostStatus.AuditEntry e : s.history()) {
                        console.out().println("    " + Printable.value(e.time()) + "  " + Printable.value(e.release().isEmpty() ? "-" : e.release())
                                + "  " + Printable.value(e.result()) + (e.actor().isEmpty() ? "" : "  (" + Printable.value(e.actor()) + ")"));
                    }
                }
                if (s.blueGreen() != null) {
                    var bg = s.blueGreen();
                    console.out().println("  strategy: blue-green, " + bg.live() + " live");
                    for (String color : List.of("blue", "green")) {
                        console.out().println(String.format("  %-6s    %s, %s%s%s", color + ":", bg.releaseOf(color) == null ? "no release" : bg.releaseOf(color),
                                bg.active().get(color), color.equals(bg.live()) ? " (live)" : "",
                                Boolean.TRUE.equals(bg.retiring().get(color)) ? " (stops when its grace period ends)" : ""));
                    }
                    console.out().println("  proxy:    " + switch (bg.proxy()) {
                        case "ok" -> "nginx site as the deployer wrote it";
                        case "drift" -> console.bold("DRIFT") + ": the nginx site was edited since the deployer wrote it; the next deploy rewrites it";
                        default -> console.bold("MISSING") + ": the nginx site is gone; the next deploy rewrites it";
                    });
                }
            }
        }
        console.out().flush();
        boolean ok = statuses.stream().allMatch(s -> s.error() == null);
        return ok ? ExitCodes.OK : ExitCodes.CONNECTION;
    }
}
