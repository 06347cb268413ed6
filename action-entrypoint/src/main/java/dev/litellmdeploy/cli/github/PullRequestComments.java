package dev.litellmdeploy.cli.github;

import java.util.function.Consumer;

import org.kohsuke.github.GHIssue;
import org.kohsuke.github.GHIssueComment;

/**
 * {@link PlanCommentPublisher} with the GitHub API for Java: finds the comment by its hidden marker among the pull request's
 * comments and edits it, or creates it; so a pull request has one plan comment however often it is pushed. Calls go through
 * {@link GitHubCall} (rate limits, retries); a missing {@code pull-requests: write} is one warning that names it.
 */
public final class PullRequestComments implements PlanCommentPublisher {
    private final String apiUrl;
    private final String token;
    private final String repository;
    private final GitHubCall calls;

    public PullRequestComments(String apiUrl, String token, String repository, Consumer<String> warn, Consumer<String> log, Waits waits) {
        this.apiUrl = apiUrl;
        this.token = token;
        this.repository = repository;
        this.calls = new GitHubCall("give the workflow `permissions: pull-requests: write`", "the pull request comment (the plan is in the job summary)", warn, log, waits);
    }

    @Override
    public void publish(int number, String marker, String body) {
        calls.attempt("comment the plan on pull request #" + number, () -> {
            GHIssue issue = GitHubCall.client(apiUrl, token).getRepository(repository).getIssue(number);
            for (GHIssueComment c : issue.listComments()) {
                if (c.getBody() != null && c.getBody().contains(marker)) {
                    c.update(body);
                    return c.getId();
                }
            }
            return issue.comment(body).getId();
        });
    }
}
