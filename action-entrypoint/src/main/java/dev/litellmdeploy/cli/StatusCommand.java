package dev.litellmdeploy.cli;

import java.util.List;

import dev.litellmdeploy.deployer.Deployer;
import dev.litellmdeploy.deployer.HostStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "status", mixinStandardHelpOptions = true, showDefaultValues = true, sortOptions = false,
        description = {"Show what each server runs: the current release, the service state, readiness, the models served, the releases kept, the Python environment (lock, LiteLLM version, READY), drift, and its last runs (the host's audit log: a failed one says where and why it failed and what runs now).",
            "Drift is what a server holds that its recorded release does not say: an installed file edited, missing or with another mode"
                    + " (config, env file, unit; both colors in blue-green), a systemd drop-in, the nginx site, another helper. It is named with"
                    + " line counts, never the files' lines; `deploy` repairs it.",
            "With --check it exits " + ExitCodes.CHECK_FAILED + " when a server drifted, is not ready or runs another release than --expect-release."},
        footer = {"", "Examples:", "  litellm-deploy status --host agent.example.com --key ~/.ssh/deploy_ed25519 --known-hosts ~/.ssh/known_hosts",
            "  litellm-deploy status --check --expect-release 20261201T120000Z-0123456789ab --host agent.example.com ...",
            "", "`deploy` repairs drift (drop-ins are moved aside into the release's folder on the server, drift-aside/)."})
public final class StatusCommand extends RemoteCommand {
    @Option(names = "--check")
    boolean check;

    @Option(names = "--expect-release", paramLabel = "ID")
    String expectRelease;

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
                if (s.pythonEnv() != null) {
                    console.out().println("  python:   " + Printable.value(s.pythonEnv().describe()));
                }
                if (s.drift().drifted()) {
                    console.out().println("  drift:    " + console.bold("DRIFT") + ": the server differs from its recorded release; the next deploy"
                            + " repairs it");
                    s.drift().lines().forEach(l -> console.out().println("    - " + Printable.value(l)));
                } else {
                    console.out().println("  drift:    none");
                }
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
        boolean ok = statuses.stream().allMatch(s -> s.error() == null);
        if (!check) {
            console.out().flush();
            return ok ? ExitCodes.OK : ExitCodes.CONNECTION;
        }
        boolean passed = true;
        for (HostStatus s : statuses) {
            List<String> problems = StatusCheck.problems(s, expectRelease);
            passed &= problems.isEmpty();
            String line = "check " + Printable.value(s.host().toString()) + ": " + (problems.isEmpty() ? "ok" : "FAILED: " + Printable.text(String.join("; ", problems)));
            if (json) {
                console.err().println(line);
            } else if (problems.isEmpty()) {
                console.out().println(line);
            } else {
                console.problem(line);
            }
        }
        console.out().flush();
        return !ok ? ExitCodes.CONNECTION : passed ? ExitCodes.OK : ExitCodes.CHECK_FAILED;
    }
}
