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

    private static String cell(String s) {
        return s == null ? "" : Printable.text(s).replace("|", "\\|").replace("\n", "<br>");
    }
}
