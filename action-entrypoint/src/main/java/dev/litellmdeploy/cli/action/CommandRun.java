package dev.litellmdeploy.cli.action;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;

import dev.litellmdeploy.cli.ConsoleListener;
import dev.litellmdeploy.cli.ExitCodes;
import dev.litellmdeploy.cli.Printable;
import dev.litellmdeploy.cli.Results;
import dev.litellmdeploy.cli.github.DeploymentState;
import dev.litellmdeploy.cli.github.DeploymentStatusPublisher;
import dev.litellmdeploy.deployer.DeployResult;
import dev.litellmdeploy.deployer.Deployer;
import dev.litellmdeploy.deployer.HostStatus;
import dev.litellmdeploy.deployer.remote.ConnectionException;

/**
 * The action's commands that build nothing and read what the servers hold. {@code rollback}: a GitHub deployment of the
 * earlier release (task {@code deploy:rollback}, the payload names the release), then the switch back on every host, one
 * at a time. {@code status}: what each host runs, in the log and the job summary; nothing recorded.
 */
final class CommandRun {
    /** The step outputs and the exit code the command ends with. */
    record Result(Map<String, String> outputs, int exitCode) {
    }

    private CommandRun() {
    }

    static Result rollback(ActionSettings s, GitHubContext gh, DeploymentStatusPublisher publisher, WorkflowCommands commands,
            PrintWriter out, Summary summary) throws IOException {
        String target = s.to() == null ? "the previous release" : s.to();
        long id = publisher.start(gh.sha(), s.environment(), DeploymentStatusPublisher.ROLLBACK, "Rolling back to " + target + " on "
                + s.hosts().size() + " host(s)", ActionRunner.payload("rollback_to", s.to() == null ? "previous" : s.to(), s.hosts()));
        commands.group("Roll back to " + target + " (" + s.hosts().size() + " host(s))");
        DeployResult result;
        try {
            result = new Deployer(s.ssh(), s.deploy(), new ConsoleListener(out, plan -> { })).rollback(s.hosts(), s.to());
        } catch (ConnectionException e) {
            commands.endGroup();
            commands.error(null, 0, e.getMessage());
            publisher.finish(DeploymentState.ERROR, "Could not start: " + e.getMessage(), null);
            summary.connectionError(e.getMessage());
            return new Result(Map.of("changed", "false"), ExitCodes.CONNECTION);
        }
        commands.endGroup();
        DeploymentOutcome.report(result, commands, out);
        String release = result.hosts().stream().map(h -> h.release()).filter(r -> r != null).findFirst().orElse(target);
        publisher.finish(DeploymentOutcome.state(result), result.ok() ? "Rolled back to " + release + " on " + result.hosts().size()
                + " host(s)" : DeploymentOutcome.description(result), result.ok() ? s.environmentUrl() : null);
        summary.rolledBack(result, s.to());
        return new Result(DeploymentOutcome.outputs(id, result, s), Results.exitCode(result));
    }

    static Result status(ActionSettings s, WorkflowCommands commands, PrintWriter out, Summary summary) throws IOException {
        commands.group("Status of " + s.hosts().size() + " host(s)");
        List<HostStatus> statuses;
        try {
            statuses = new Deployer(s.ssh(), s.deploy(), null).status(s.hosts());
        } catch (ConnectionException e) {
            commands.endGroup();
            commands.error(null, 0, e.getMessage());
            summary.connectionError(e.getMessage());
            return new Result(Map.of("release", ""), ExitCodes.CONNECTION);
        }
        for (HostStatus st : statuses) {
            String line = Printable.value(st.host().toString()) + ": " + (st.error() != null ? "unknown (" + Printable.text(st.error()) + ")"
                    : "release " + (st.release() == null ? "none" : Printable.value(st.release())) + ", " + Printable.value(st.activeState())
                    + ", ready " + (st.ready() ? "yes" : "no") + ", models " + Printable.values(st.models()));
            if (st.error() != null) {
                commands.error(null, 0, line);
            } else {
                out.println(line);
            }
        }
        commands.endGroup();
        summary.statuses(statuses);
        String release = statuses.stream().map(HostStatus::release).filter(r -> r != null).findFirst().orElse("");
        return new Result(Map.of("release", release), statuses.stream().anyMatch(st -> st.error() != null) ? ExitCodes.CONNECTION : ExitCodes.OK);
    }
}
