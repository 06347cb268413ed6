package dev.litellmdeploy.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import dev.litellmdeploy.deployer.DeployResult;
import dev.litellmdeploy.deployer.HostResult;
import dev.litellmdeploy.deployer.StepTiming;

/** Deploy results for people or machines, and the exit code they mean. */
public final class Results {
    static final ObjectMapper JSON = Printable.escapingJson(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).findAndRegisterModules());

    private Results() {
    }

    public static int exitCode(DeployResult result) {
        int code = ExitCodes.OK;
        for (HostResult h : result.hosts()) {
            int c = switch (h.outcome()) {
                case SUCCESS, NOOP, NOT_ATTEMPTED -> ExitCodes.OK;
                case CONNECTION_FAILED -> ExitCodes.CONNECTION;
                case FAILED_NOTHING_CHANGED, FAILED_ROLLED_BACK, FAILED_FIRST_DEPLOY_STOPPED -> ExitCodes.ROLLED_BACK;
                case ROLLBACK_FAILED -> ExitCodes.ROLLBACK_FAILED;
                case DEPLOYED_CLEANUP_FAILED -> ExitCodes.CLEANUP_FAILED;
            };
            code = Math.max(code, c);
        }
        return code;
    }

    static void print(Console console, DeployResult result, boolean json) throws Exception {
        if (json) {
            List<Map<String, Object>> hosts = new ArrayList<>();
            for (HostResult h : result.hosts()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("host", h.host().toString());
                m.put("outcome", h.outcome().name().toLowerCase(java.util.Locale.ROOT));
                m.put("release", h.release());
                m.put("message", h.message());
                if (h.plan() != null) {
                    if (h.plan().adopting() != null) {
                        m.put("adopting", h.plan().adopting());
                    }
                    m.put("changed_files", h.plan().changedFiles());
                    m.put("restart", h.plan().restart());
                    m.put("steps_planned", h.plan().steps());
                    m.put("program", h.plan().program().stream().map(st -> Map.of("step", st.name(), "args", st.args())).toList());
                    m.put("diff", h.plan().diff());
                    m.put("drift", h.plan().drift().lines());
                }
                List<Map<String, Object>> steps = new ArrayList<>();
                for (StepTiming s : h.steps()) {
                    steps.add(Map.of("step", s.step(), "ms", s.took().toMillis(), "detail", s.detail()));
                }
                m.put("steps", steps);
                hosts.add(m);
            }
            console.out().println(JSON.writeValueAsString(Map.of("ok", result.ok(), "changed", result.changed(), "hosts", hosts)));
            console.out().flush();
            return;
        }
        for (HostResult h : result.hosts()) {
            String line = Printable.value(h.host().toString()) + ": " + h.outcome().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ')
                    + " - " + Printable.text(h.message());
            if (h.outcome().ok() || h.outcome() == HostResult.Outcome.NOT_ATTEMPTED) {
                console.out().println(line);
            } else {
                console.problem(line);
            }
        }
        console.out().flush();
    }
}
