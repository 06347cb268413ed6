package dev.litellmdeploy.cli.action;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.litellmdeploy.cli.ExitCodes;
import dev.litellmdeploy.cli.Printable;
import dev.litellmdeploy.deployer.DeployListener;
import dev.litellmdeploy.deployer.Deployer;
import dev.litellmdeploy.deployer.bundle.Bundle;

/**
 * The action's {@code command: status-check}: every server must run the bundle just built, be ready and not have drifted;
 * nothing is changed and no deployment recorded. Each failing host is an error annotation and a row of the job summary
 * (drift by name and line counts, never a file's lines).
 */
final class StatusCheckRun {
    /** The step outputs and the exit code the check ends with. */
    record Result(Map<String, String> outputs, int exitCode) {
    }

    private StatusCheckRun() {
    }

    static Result run(ActionSettings s, Bundle bundle, WorkflowCommands commands, PrintWriter out, Summary summary) throws IOException {
        commands.group("Check " + s.hosts().size() + " host(s) against bundle " + bundle.bundleId().substring(0, 12));
        List<dev.litellmdeploy.deployer.HostStatus> statuses;
        try {
            statuses = new Deployer(s.ssh(), s.deploy(), DeployListener.NONE).status(s.hosts());
        } catch (dev.litellmdeploy.deployer.remote.ConnectionException e) {
            commands.endGroup();
            commands.error(null, 0, e.getMessage());
            summary.connectionError(e.getMessage());
            return new Result(Map.of("drifted", "unknown"), ExitCodes.CONNECTION);
        }
        Map<String, List<String>> problems = new LinkedHashMap<>();
        for (var st : statuses) {
            List<String> p = dev.litellmdeploy.cli.StatusCheck.problems(st, bundle.bundleId());
            problems.put(st.host().toString(), p);
            String line = Printable.value(st.host().toString()) + ": " + (p.isEmpty() ? "ok" : Printable.text(String.join("; ", p)));
            if (p.isEmpty()) {
                out.println(line);
            } else {
                commands.error(null, 0, line);
            }
        }
        commands.endGroup();
        boolean passed = problems.values().stream().allMatch(List::isEmpty);
        boolean unread = statuses.stream().anyMatch(st -> st.error() != null);
        boolean drifted = statuses.stream().anyMatch(st -> st.drift() != null && st.drift().drifted());
        summary.checked(statuses, problems, bundle.bundleId());
        return new Result(Map.of("drifted", Boolean.toString(drifted)), unread ? ExitCodes.CONNECTION : passed ? ExitCodes.OK : ExitCodes.CHECK_FAILED);
    }
}
