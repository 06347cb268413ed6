package dev.litellmdeploy.cli.github;

import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The pull request's one plan comment, against WireMock: exact requests. */
class PullRequestCommentsTest {
    private static final String MARKER = "<!-- litellm-deploy plan: production -->";
    private final GitHubApiStub github = new GitHubApiStub();
    private final List<String> warnings = new ArrayList<>();
    private final List<Duration> slept = new ArrayList<>();

    @AfterEach
    void stop() {
        github.checkAndClose();
    }

    private PullRequestComments comments() {
        return new PullRequestComments(github.apiUrl(), "ghs_fake_token_for_tests", GitHubApiStub.REPO, warnings::add, w -> { },
                new Waits(Clock.systemUTC(), slept::add, Duration.ofMillis(1), Waits.BUDGET));
    }

    @Test
    void theFirstPlanCreatesTheCommentAndTheNextPushUpdatesItInsteadOfAddingOne() {
        github.pullRequestSeven();
        comments().publish(7, MARKER, MARKER + "\nfirst plan");
        comments().publish(7, MARKER, MARKER + "\nsecond plan");
        assertEquals(List.of(
                "POST " + GitHubApiStub.PREFIX + "/repos/acme/gateway/issues/7/comments {\"body\":\"" + MARKER + "\\nfirst plan\"}",
                "PATCH " + GitHubApiStub.PREFIX + "/repos/acme/gateway/issues/comments/900 {\"body\":\"" + MARKER + "\\nsecond plan\"}"),
                github.writes(), warnings.toString());
        assertEquals(List.of(), warnings);
    }

    @Test
    void aTokenWithoutPullRequestsWriteIsOneWarningThatNamesThePermission() {
        github.pullRequestSeven();
        github.server.stubFor(any(urlPathMatching(GitHubApiStub.PREFIX + "/repos/acme/gateway/issues/7/comments")).atPriority(1)
                .willReturn(GitHubApiStub.json(403, "{\"message\": \"Resource not accessible by integration\"}")));
        comments().publish(7, MARKER, MARKER + "\nplan");
        assertEquals(List.of("could not comment the plan on pull request #7 on GitHub (HTTP 403, \"Resource not accessible by integration\"):"
                + " give the workflow `permissions: pull-requests: write`. The run goes on without the pull request comment (the plan is in"
                + " the job summary)."), warnings);
        assertEquals(List.of(), slept);
    }
}
