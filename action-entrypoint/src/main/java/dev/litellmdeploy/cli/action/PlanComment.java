package dev.litellmdeploy.cli.action;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import dev.litellmdeploy.builder.Finding;
import dev.litellmdeploy.cli.Printable;
import dev.litellmdeploy.deployer.DeployResult;
import dev.litellmdeploy.deployer.HostResult;
import dev.litellmdeploy.deployer.bundle.SecretRegistry;

/**
 * The pull request's plan comment, Markdown: a hidden marker (one comment per environment, found again on the next push),
 * per host what would change and whether the service restarts, the validation findings, then each host's redacted config
 * diff. Cut below GitHub's 65,536-character limit for a comment (diffs go last and are cut first), with a pointer to the
 * job summary, which has everything. Every known secret is masked (the comment leaves this machine).
 */
final class PlanComment {
    /** GitHub refuses a comment body over 65,536 characters; the rest is room for the closing lines. */
    static final int LIMIT = 65_000;

    private PlanComment() {
    }

    static String marker(String environment) {
        return "<!-- litellm-deploy plan: " + environment.replaceAll("[^A-Za-z0-9._/ -]|--", "_") + " -->";
    }

    static String planned(GitHubContext gh, String environment, String bundleId, DeployResult result, List<Finding> findings) {
        long changing = result.hosts().stream().filter(h -> h.plan() != null && !h.plan().noop()).count();
        StringBuilder head = new StringBuilder(marker(environment)).append('\n');
        head.append("### LiteLLM plan for `").append(Printable.value(environment)).append("`: ")
                .append(result.ok() ? changing + " of " + result.hosts().size() + " host(s) would change" : "could not plan every host")
                .append("\n\n");
        intro(head, gh, bundleId);
        head.append("| Host | Plan | Changes | Restart |\n|---|---|---|---|\n");
        for (HostResult h : result.hosts()) {
            var p = h.plan();
            head.append("| `").append(Printable.value(h.host().toString())).append("` | ")
                    .append(p == null ? cell(h.outcome().name().toLowerCase(Locale.ROOT).replace('_', ' ') + ": " + h.message())
                            : p.noop() ? "up to date" : "changes")
                    .append(" | ").append(p == null ? "" : cell(String.join(", ", p.changedFiles())))
                    .append(" | ").append(p == null ? "" : p.restart() ? "yes" + (p.restartReason() == null ? "" : ": " + cell(p.restartReason())) : "no")
                    .append(" |\n");
        }
        for (HostResult h : result.hosts()) {
            if (h.plan() != null && h.plan().drift().drifted()) {
                head.append("\n**Drift on `").append(Printable.value(h.host().toString())).append("`** (the deploy repairs it): ")
                        .append(cell(String.join("; ", h.plan().drift().lines()))).append('\n');
            }
        }
        findings(head, findings);
        List<String> diffs = new ArrayList<>();
        for (HostResult h : result.hosts()) {
            if (h.plan() != null && h.plan().diff() != null && !h.plan().diff().isEmpty()) {
                diffs.add("<details><summary>Config diff on `" + Printable.value(h.host().toString()) + "` (secrets redacted)</summary>\n\n```diff\n"
                        + Printable.text(h.plan().diff()).replace("```", "'''") + (h.plan().diff().endsWith("\n") ? "" : "\n"));
            }
        }
        return fit(head.toString(), diffs, gh);
    }

    /** The build failed: the findings are the plan. */
    static String invalid(GitHubContext gh, String environment, List<Finding> findings) {
        StringBuilder head = new StringBuilder(marker(environment)).append('\n');
        head.append("### LiteLLM plan for `").append(Printable.value(environment)).append("`: the templates or secrets are invalid\n\n");
        intro(head, gh, null);
        findings(head, findings);
        return fit(head.toString(), List.of(), gh);
    }

    private static void intro(StringBuilder md, GitHubContext gh, String bundleId) {
        md.append("Commit `").append(gh.sha(), 0, Math.min(12, gh.sha().length())).append('`')
                .append(bundleId == null ? "" : ", bundle `" + bundleId.substring(0, 12) + "`")
                .append(". Nothing was changed; this comment is updated on every push. [The run](").append(gh.runUrl())
                .append(") has the full report in its job summary.\n\n");
    }

    private static void findings(StringBuilder md, List<Finding> findings) {
        if (findings.isEmpty()) {
            return;
        }
        md.append("\n**Validation findings**\n\n");
        for (Finding f : findings) {
            md.append("- ").append(f.severity().name().toLowerCase(Locale.ROOT)).append(" `").append(Printable.value(f.location().toString()))
                    .append("` [").append(f.code()).append("] ").append(cell(f.message())).append('\n');
        }
    }

    /** Head, then whole diffs while they fit; the first that does not is cut on a line, and a pointer to the job summary ends it. */
    static String fit(String head, List<String> diffs, GitHubContext gh) {
        String pointer = "\n**Cut to fit a GitHub comment** (65,536 characters): [the run](" + gh.runUrl() + ")'s job summary has the whole plan.\n";
        String close = "```\n\n</details>\n";
        StringBuilder md = new StringBuilder(mask(head));
        for (String diff : diffs) {
            String d = mask(diff);
            if (md.length() + d.length() + close.length() <= LIMIT - pointer.length()) {
                md.append('\n').append(d).append(close);
                continue;
            }
            int room = LIMIT - pointer.length() - close.length() - md.length() - 1;
            if (room > 200) {
                String part = prefix(d, room);
                int line = part.lastIndexOf('\n');
                md.append('\n').append(part, 0, line + 1).append(close);
            }
            return md.append(pointer).toString();
        }
        if (md.length() > LIMIT - pointer.length()) {
            String cut = prefix(md.toString(), LIMIT - pointer.length());
            return cut.substring(0, cut.lastIndexOf('\n') + 1) + pointer;
        }
        return md.toString();
    }

    /** At most {@code chars} UTF-16 units of s, never half a surrogate pair (counted in units, the stricter of GitHub's counts). */
    static String prefix(String s, int chars) {
        if (s.length() <= chars) {
            return s;
        }
        int end = Character.isLowSurrogate(s.charAt(chars)) ? chars - 1 : chars;
        return s.substring(0, end);
    }

    private static String mask(String s) {
        return SecretRegistry.global().apply(s, "***");
    }

    private static String cell(String s) {
        return s == null ? "" : Printable.text(s).replace("|", "\\|").replace("\n", " ");
    }
}
