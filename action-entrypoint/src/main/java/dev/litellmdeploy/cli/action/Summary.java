package dev.litellmdeploy.cli.action;

import java.util.List;
import java.util.Locale;

import dev.litellmdeploy.builder.BuildResult;
import dev.litellmdeploy.builder.Finding;
import dev.litellmdeploy.cli.Printable;
import dev.litellmdeploy.deployer.DeployResult;
import dev.litellmdeploy.deployer.HostResult;
import dev.litellmdeploy.deployer.StepTiming;

/** The Markdown report for $GITHUB_STEP_SUMMARY: result, hosts, steps with timings, models, redacted diff. */
final class Summary {
    private final GitHubContext gh;
    private final ActionSettings settings;
    private final StringBuilder md = new StringBuilder();

    Summary(GitHubContext gh, ActionSettings settings) {
        this.gh = gh;
        this.settings = settings;
    }

    private void header(String result) {
        md.append("## LiteLLM deploy: ").append(result).append("\n\n");
        md.append("Commit `").append(gh.sha(), 0, Math.min(12, gh.sha().length())).append("`, environment `")
                .append(settings == null ? "" : settings.environment()).append("`, run by ").append(gh.actor()).append(".\n\n");
    }

    void invalid(List<String> problems) {
        header("not started (invalid inputs)");
        problems.forEach(p -> md.append("- ").append(cell(p)).append('\n'));
    }

    void configErrors(List<Finding> findings) {
        header("not started (invalid templates or secrets)");
        md.append("| Where | Problem |\n|---|---|\n");
        for (Finding f : findings) {
            md.append("| `").append(Printable.value(f.location().toString())).append("` | ").append(f.severity().name().toLowerCase(Locale.ROOT)).append(" [")
                    .append(f.code()).append("] ").append(cell(f.message())).append(" |\n");
        }
        md.append("\nNothing was deployed.\n");
    }

    void connectionError(String message) {
        header("not started (connection)");
        md.append(cell(message)).append('\n');
    }

    void deployed(DeployResult result, BuildResult built, String diff) {
        header(result.ok() ? (settings.dryRun() ? "planned (dry run)" : result.changed() ? "deployed" : "already up to date") : "FAILED");
        md.append("| Host | Result | Release | Details |\n|---|---|---|---|\n");
        for (HostResult h : result.hosts()) {
            md.append("| `").append(Printable.value(h.host().toString())).append("` | ").append(h.outcome().name().toLowerCase(Locale.ROOT).replace('_', ' '))
                    .append(" | ").append(h.release() == null ? "" : "`" + Printable.value(h.release()) + "`").append(" | ").append(cell(h.message())).append(" |\n");
        }
        md.append("\n**Models:** ").append(Printable.values(built.manifest().models())).append("\n\n");
        for (HostResult h : result.hosts()) {
            if (h.plan() != null && h.plan().drift().drifted()) {
                md.append("**Drift on `").append(Printable.value(h.host().toString())).append("`** (").append(settings.dryRun() ? "a deploy repairs it"
                        : h.outcome().ok() ? "repaired by this deploy" : "not repaired: this deploy failed").append("; installed files are never shown):\n\n");
                h.plan().drift().lines().forEach(l -> md.append("- ").append(cell(l)).append('\n'));
                md.append('\n');
            }
        }
        for (HostResult h : result.hosts()) {
            if (h.steps().isEmpty()) {
                continue;
            }
            md.append("<details><summary>Steps on ").append(h.host()).append("</summary>\n\n| Step | Time | Details |\n|---|---:|---|\n");
            for (StepTiming t : h.steps()) {
                md.append("| ").append(t.step()).append(" | ").append(t.took().toMillis()).append(" ms | ").append(cell(t.detail())).append(" |\n");
            }
            md.append("\n</details>\n\n");
        }
        if (!diff.isEmpty()) {
            md.append("<details><summary>Config diff (secrets redacted)</summary>\n\n```diff\n").append(Printable.text(diff).replace("```", "'''"))
                    .append("```\n\n</details>\n");
        }
    }

    String markdown() {
        return md.toString();
    }

    /** command: status-check: one row per host, then each host's drift (what and how many lines; never a line of a file). */
    void checked(List<dev.litellmdeploy.deployer.HostStatus> statuses, java.util.Map<String, List<String>> problems, String expected) {
        boolean passed = problems.values().stream().allMatch(List::isEmpty);
        md.append("## LiteLLM drift check: ").append(passed ? "ok" : "FAILED").append("\n\n");
        md.append("Expected bundle `").append(expected, 0, 12).append("` (built from commit `").append(gh.sha(), 0, Math.min(12, gh.sha().length()))
                .append("`); run by ").append(gh.actor()).append(". Nothing was changed.\n\n");
        md.append("| Host | Release | Ready | Drift | Problems |\n|---|---|---|---|---|\n");
        for (var st : statuses) {
            List<String> p = problems.getOrDefault(st.host().toString(), List.of());
            md.append("| `").append(Printable.value(st.host().toString())).append("` | ").append(cell(st.release())).append(" | ")
                    .append(st.ready() ? "yes" : "no").append(" | ").append(st.drift() == null ? 0 : st.drift().items().size()).append(" | ")
                    .append(p.isEmpty() ? "none" : cell(String.join("; ", p))).append(" |\n");
        }
        for (var st : statuses) {
            if (st.drift() != null && st.drift().drifted()) {
                md.append("\n**Drift on `").append(Printable.value(st.host().toString())).append("`** (a deploy repairs it):\n\n");
                st.drift().lines().forEach(l -> md.append("- ").append(cell(l)).append('\n'));
            }
        }
        if (!passed) {
            md.append("\nRun the deploy workflow (or `litellm-deploy deploy`) to repair drift and install the expected bundle;"
                    + " docs/troubleshooting.md says what each finding means.\n");
        }
    }

    private static String cell(String s) {
        return s == null ? "" : Printable.text(s).replace("|", "\\|").replace("\n", "<br>");
    }
}
