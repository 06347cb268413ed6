package dev.litellmdeploy.cli.action;

import java.util.List;
import java.util.Locale;

import dev.litellmdeploy.builder.BuildResult;
import dev.litellmdeploy.builder.Finding;
import dev.litellmdeploy.cli.Printable;
import dev.litellmdeploy.deployer.DeployResult;
import dev.litellmdeploy.deployer.HostResult;
import dev.litellmdeploy.deployer.StepTiming;

/**
 * The Markdown report for $GITHUB_STEP_SUMMARY: result, hosts, steps with timings, models, redacted diff. GitHub drops a
 * step's summary over 1 MiB: the diff is cut at {@link #DIFF_LIMIT} characters and the whole report at {@link #LIMIT} bytes,
 * each with a note.
 */
final class Summary {
    /** Bytes of UTF-8 the report may take: below GitHub's 1 MiB per step, with room for the note. */
    static final int LIMIT = 1_000_000;
    /** Characters of the config diff shown. */
    static final int DIFF_LIMIT = 512 * 1024;

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
        header(result.ok() ? (settings.plans() ? "planned (nothing changed)" : result.changed() ? "deployed" : "already up to date") : "FAILED");
        hosts(result);
        md.append("\n**Models:** ").append(Printable.values(built.manifest().models())).append("\n\n");
        details(result);
        diff(diff);
    }

    /** command: rollback. */
    void rolledBack(DeployResult result, String to) {
        header(result.ok() ? "rolled back to " + (to == null ? "the previous release" : "`" + Printable.value(to) + "`") : "ROLLBACK FAILED");
        hosts(result);
        md.append('\n');
        details(result);
    }

    /** command: status: what each host runs; nothing recorded. */
    void statuses(List<dev.litellmdeploy.deployer.HostStatus> statuses) {
        header("status");
        md.append("| Host | Release | Service | Ready | Models | Releases kept |\n|---|---|---|---|---|---|\n");
        for (var st : statuses) {
            md.append("| `").append(Printable.value(st.host().toString())).append("` | ")
                    .append(st.error() != null ? "unknown: " + cell(st.error()) : st.release() == null ? "none" : "`" + Printable.value(st.release()) + "`")
                    .append(" | ").append(cell(st.activeState())).append(" | ").append(st.ready() ? "yes" : "no").append(" | ")
                    .append(cell(Printable.values(st.models()))).append(" | ").append(cell(Printable.values(st.releases()))).append(" |\n");
        }
        md.append("\nNothing was changed or recorded.\n");
    }

    /** Every error and warning of the run, when there were more than GitHub shows as annotations. */
    void annotations(List<String> all) {
        if (!all.isEmpty()) {
            md.append("\n### Every error and warning (GitHub shows ").append(WorkflowCommands.KEPT).append(" annotations of each per step)\n\n");
            all.forEach(a -> md.append("- ").append(cell(a)).append('\n'));
        }
    }

    private void hosts(DeployResult result) {
        md.append("| Host | Result | Release | Details |\n|---|---|---|---|\n");
        for (HostResult h : result.hosts()) {
            md.append("| `").append(Printable.value(h.host().toString())).append("` | ").append(h.outcome().name().toLowerCase(Locale.ROOT).replace('_', ' '))
                    .append(" | ").append(h.release() == null ? "" : "`" + Printable.value(h.release()) + "`").append(" | ").append(cell(h.message())).append(" |\n");
        }
    }

    private void details(DeployResult result) {
        for (HostResult h : result.hosts()) {
            if (h.plan() != null && h.plan().drift().drifted()) {
                md.append("**Drift on `").append(Printable.value(h.host().toString())).append("`** (").append(settings.plans() ? "a deploy repairs it"
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
    }

    private void diff(String diff) {
        if (diff.isEmpty()) {
            return;
        }
        String shown = Printable.text(diff).replace("```", "'''");
        boolean cut = shown.length() > DIFF_LIMIT;
        if (cut) {
            shown = PlanComment.prefix(shown, DIFF_LIMIT);
            shown = shown.substring(0, shown.lastIndexOf('\n') + 1);
        }
        md.append("<details><summary>Config diff (secrets redacted)</summary>\n\n```diff\n").append(shown).append(shown.endsWith("\n") ? "" : "\n")
                .append("```\n\n</details>\n");
        if (cut) {
            md.append("\n**The diff was cut** at ").append(DIFF_LIMIT / 1024).append(" KiB of ").append(diff.length() / 1024)
                    .append(" KiB (GitHub drops a job summary over 1 MiB); `litellm-deploy plan` prints all of it.\n");
        }
    }

    /** The report, cut on a line below {@link #LIMIT} bytes of UTF-8 with a note when it is longer. */
    String markdown() {
        String all = md.toString();
        byte[] bytes = all.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        if (bytes.length <= LIMIT) {
            return all;
        }
        String note = "\n\n**This summary was cut** at " + LIMIT / 1000 + " kB (GitHub drops a job summary over 1 MiB); the run log has the rest.\n";
        String cut = new String(bytes, 0, LIMIT - note.length() - 8, java.nio.charset.StandardCharsets.UTF_8);
        return cut.substring(0, cut.lastIndexOf('\n') + 1) + note;
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
