package dev.litellmdeploy.cli.action;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import dev.litellmdeploy.testsupport.MachinePreparation;

/** action.yml and the workflows parse, and the inputs the entrypoint reads are exactly the ones action.yml declares. */
class ActionMetadataTest {
    private static final Path ROOT = MachinePreparation.projectRoot();

    @Test
    @SuppressWarnings("unchecked")
    void everyInputTheEntrypointReadsIsDeclaredAndViceVersa() throws Exception {
        Map<String, Object> action = new Yaml().load(Files.readString(ROOT.resolve("action.yml")));
        Map<String, Map<String, Object>> inputs = (Map<String, Map<String, Object>>) action.get("inputs");
        assertEquals(new TreeSet<>(ActionSettings.INPUTS), new TreeSet<>(inputs.keySet()));
        for (Map.Entry<String, Map<String, Object>> e : inputs.entrySet()) {
            assertTrue(e.getKey().matches("[a-z0-9]+(-[a-z0-9]+)*"), "kebab-case: " + e.getKey());
            assertTrue(e.getValue().get("description") instanceof String d && !d.isBlank(), "described: " + e.getKey());
            assertTrue(e.getValue().containsKey("required"), "required stated: " + e.getKey());
        }
        assertEquals("${{ github.token }}", inputs.get("github-token").get("default"));
        Map<String, Object> outputs = (Map<String, Object>) action.get("outputs");
        assertEquals(new TreeSet<>(List.of("deployment-id", "changed", "config-sha256", "release", "environment-url", "drifted")),
                new TreeSet<>(outputs.keySet()));
        assertEquals("docker", ((Map<String, Object>) action.get("runs")).get("using"));
    }

    @Test
    void everyWorkflowFileParses() throws Exception {
        try (Stream<Path> files = Files.list(ROOT.resolve(".github/workflows"))) {
            for (Path f : files.toList()) {
                Object parsed = new Yaml().load(Files.readString(f));
                assertTrue(parsed instanceof Map<?, ?> m && m.containsKey("jobs"), f + " has jobs");
            }
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void theExampleDriftWorkflowRunsOnAScheduleAndByHandAndRunsTheCheckWithReadOnlyPermissions() throws Exception {
        Path file = ROOT.resolve("examples/workflows/drift-check.yml");
        Map<String, Object> wf = new Yaml().load(Files.readString(file));
        Map<Object, Object> on = (Map<Object, Object>) (wf.containsKey("on") ? wf.get("on") : wf.get(true));
        assertTrue(on.containsKey("schedule") && on.containsKey("workflow_dispatch"), on.toString());
        assertEquals(Map.of("contents", "read"), wf.get("permissions"), "a check records no deployment");
        Map<String, Map<String, Object>> jobs = (Map<String, Map<String, Object>>) wf.get("jobs");
        List<Map<String, Object>> steps = (List<Map<String, Object>>) jobs.values().iterator().next().get("steps");
        Map<String, Object> check = steps.stream().filter(st -> String.valueOf(st.get("uses")).contains("litellm-deploy-action")).findFirst().orElseThrow();
        Map<String, Object> with = (Map<String, Object>) check.get("with");
        assertEquals(ActionSettings.STATUS_CHECK, with.get("command"));
        assertTrue(ActionSettings.INPUTS.containsAll(with.keySet()), "every input it gives is the action's: " + with.keySet());
    }

    @Test
    @SuppressWarnings("unchecked")
    void theExampleDeployWorkflowNeverOverlapsHasTheRightPermissionsAndNoSecondDeployment() throws Exception {
        Map<String, Object> wf = new Yaml().load(Files.readString(ROOT.resolve(".github/workflows/deploy-litellm.yml")));
        Map<Object, Object> on = (Map<Object, Object>) (wf.containsKey("on") ? wf.get("on") : wf.get(true));
        assertTrue(((Map<String, Object>) on.get("push")).get("paths").toString().contains("nix/hm/litellm/**"));
        assertTrue(((Map<String, Object>) ((Map<String, Object>) on.get("workflow_dispatch")).get("inputs")).containsKey("dry-run"));
        assertTrue(wf.containsKey("concurrency"));
        assertEquals(Map.of("contents", "read", "deployments", "write"), wf.get("permissions"));
        Map<String, Map<String, Object>> jobs = (Map<String, Map<String, Object>>) wf.get("jobs");
        for (Map.Entry<String, Map<String, Object>> job : jobs.entrySet()) {
            assertFalse(job.getValue().containsKey("environment"), job.getKey() + ": a job-level environment makes GitHub create its own deployment");
        }
        String text = Files.readString(ROOT.resolve(".github/workflows/deploy-litellm.yml"));
        for (String secret : List.of("SSH_PRIVATE_KEY", "DEPLOY_HOST", "DEPLOY_USERNAME", "DEPLOY_SSH_KEY", "DEPLOY_PORT", "DEPLOY_KNOWN_HOSTS")) {
            assertTrue(text.contains("secrets." + secret), secret);
        }
        assertTrue(((Map<String, Object>) jobs.get("deploy-fleet").get("strategy")).containsKey("matrix"));
        Map<String, Object> dispatch = (Map<String, Object>) ((Map<String, Object>) on.get("workflow_dispatch")).get("inputs");
        assertEquals(List.of("deploy", "plan", "rollback", "status"), ((Map<String, Object>) dispatch.get("command")).get("options"));
        assertTrue(dispatch.containsKey("to"), "a rollback names its release");
        assertTrue(on.containsKey("pull_request"), "pull requests get the plan");
        Map<String, Object> plan = jobs.get("plan");
        assertEquals(Map.of("contents", "read", "pull-requests", "write"), plan.get("permissions"));
        assertTrue(String.valueOf(plan.get("if")).contains("github.event.pull_request.head.repo.full_name == github.repository"),
                "fork pull requests get no secrets: the plan job skips them");
        assertTrue(String.valueOf(jobs.get("deploy").get("if")).contains("github.event_name != 'pull_request'"));
        for (Map<String, Object> job : jobs.values()) {
            for (Map<String, Object> step : (List<Map<String, Object>>) job.get("steps")) {
                if (String.valueOf(step.get("uses")).contains("litellm-deploy-action")) {
                    assertTrue(ActionSettings.INPUTS.containsAll(((Map<String, Object>) step.get("with")).keySet()), step.toString());
                    assertTrue(((Map<String, Object>) step.get("with")).containsKey("lock"), "the example deploys a committed lock: " + step);
                }
            }
        }
        Map<String, Object> action = new Yaml().load(Files.readString(ROOT.resolve("action.yml")));
        assertEquals("Dockerfile", ((Map<String, Object>) action.get("runs")).get("image"), "main builds the Dockerfile; release tags point at GHCR");
        assertTrue(Files.readString(ROOT.resolve("Dockerfile")).contains("ENTRYPOINT [\""), "exec-form entrypoint keeps INPUT_ names with hyphens");
    }
}
