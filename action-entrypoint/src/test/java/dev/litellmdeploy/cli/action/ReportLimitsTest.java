package dev.litellmdeploy.cli.action;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.litellmdeploy.builder.BuildResult;
import dev.litellmdeploy.builder.Manifest;
import dev.litellmdeploy.deployer.DeployResult;
import dev.litellmdeploy.deployer.DeploymentPlan;
import dev.litellmdeploy.deployer.HostResult;
import dev.litellmdeploy.deployer.HostTarget;

/** The job summary and the pull request comment stay within what GitHub keeps, and say where the rest is. */
class ReportLimitsTest {
    static final GitHubContext GH = new GitHubContext("acme/gateway", ActionModeTest.SHA, "refs/pull/7/merge", "99", "1",
            "https://github.example.invalid", "http://127.0.0.1:1/api/v3", "octocat", "pull_request", "/tmp/ws", "/tmp/out", "/tmp/summary", "");

    static ActionSettings settings() {
        Map<String, String> env = Map.of("INPUT_HOST", "agent.example.invalid", "INPUT_SSH-KEY", "fake key text", "INPUT_ACCEPT-NEW-HOST-KEY",
                "true", "INPUT_TEMPLATES", "deploy/templates", "INPUT_UNLOCKED", "true");
        List<String> problems = new ArrayList<>();
        ActionSettings s = ActionSettings.from(new ActionInputs(env), GH, problems);
        assertEquals(List.of(), problems);
        return s;
    }

    static HostResult planned(String host, String diff) {
        HostTarget h = new HostTarget(host, 22);
        return new HostResult(h, HostResult.Outcome.NOOP, new DeploymentPlan(h, "20261202T020000Z-0123456789ab", null, List.of("config.yaml"),
                false, false, true, "config changed", List.of(), diff, null), null, List.of(), "planned");
    }

    static String diff(int bytes) {
        StringBuilder d = new StringBuilder();
        for (int i = 0; d.length() < bytes; i++) {
            d.append("+  - model_name: model-").append(i).append("-\uD83D\uDE80-").append("x".repeat(40)).append('\n');
        }
        return d.toString();
    }

    @Test
    void aPullRequestEventPlansTheDeployCommand() {
        assertEquals(ActionSettings.PLAN, settings().command());
        assertTrue(settings().plans());
    }

    @Test
    void theJobSummaryStaysBelowOneMebibyteWithAFiveMebibyteDiffAndSaysItWasCut() {
        Summary summary = new Summary(GH, settings());
        Manifest m = new Manifest(2, "0123456789abcdef0123456789abcdef", Map.of(), "1.80.9", "3.12", "0.0.0.0", 4000, List.of("frontier-muffin"),
                List.of(), List.of(), ActionModeTest.SHA, "2026-12-02T02:00:00Z", "");
        summary.deployed(new DeployResult(List.of(planned("agent", diff(5 * 1024 * 1024)))), new BuildResult(Path.of("/tmp"), m, List.of(), "", null),
                diff(5 * 1024 * 1024));
        String md = summary.markdown();
        int bytes = md.getBytes(StandardCharsets.UTF_8).length;
        assertTrue(bytes < 1024 * 1024, bytes + " bytes");
        assertTrue(md.contains("**The diff was cut** at 512 KiB of 5120 KiB"), md.substring(md.length() - 300));
        assertEquals(0, count(md, "```") % 2, "the diff's code block is closed");
        assertTrue(md.codePoints().noneMatch(c -> Character.isSurrogate((char) c)), "no half emoji");
    }

    @Test
    void theSummaryOfAnyLengthIsCutBelowOneMebibyte() {
        Summary summary = new Summary(GH, settings());
        List<String> many = new ArrayList<>();
        for (int i = 0; i < 40_000; i++) {
            many.add("problem " + i + " \uD83D\uDE80 " + "y".repeat(30));
        }
        summary.invalid(many);
        String md = summary.markdown();
        assertTrue(md.getBytes(StandardCharsets.UTF_8).length < 1024 * 1024);
        assertTrue(md.endsWith("(GitHub drops a job summary over 1 MiB); the run log has the rest.\n"), md.substring(md.length() - 200));
    }

    @Test
    void thePlanCommentIsCutBelowGitHubsLimitWithAPointerToTheJobSummary() {
        String body = PlanComment.planned(GH, "production", "0123456789abcdef0123456789abcdef",
                new DeployResult(List.of(planned("agent-1", diff(40_000)), planned("agent-2", diff(40_000)))), List.of());
        assertTrue(body.length() <= 65_536, body.length() + " characters");
        assertTrue(body.startsWith("<!-- litellm-deploy plan: production -->\n"), body.substring(0, 80));
        assertTrue(body.contains("| `agent-1:22` | changes | config.yaml | yes: config changed |"), body.substring(0, 1500));
        assertTrue(body.endsWith("\n**Cut to fit a GitHub comment** (65,536 characters): [the run](https://github.example.invalid/acme/gateway"
                + "/actions/runs/99)'s job summary has the whole plan.\n"), body.substring(body.length() - 300));
        assertEquals(0, count(body, "```") % 2, "every code block is closed");
        assertEquals(2, count(body, "<details>"), "the first diff whole, the second cut on a line");
        String small = PlanComment.planned(GH, "production", "0123456789abcdef0123456789abcdef",
                new DeployResult(List.of(planned("agent-1", "-a\n+b\n"))), List.of());
        assertTrue(!small.contains("Cut to fit") && small.contains("```diff\n-a\n+b\n```"), small);
    }

    @Test
    void aCutNeverSplitsAnEmoji() {
        String s = "ab\uD83D\uDE80cd";
        assertEquals("ab", PlanComment.prefix(s, 3));
        assertEquals("ab\uD83D\uDE80", PlanComment.prefix(s, 4));
    }

    private static int count(String s, String what) {
        int n = 0;
        for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + what.length())) {
            n++;
        }
        return n;
    }
}
