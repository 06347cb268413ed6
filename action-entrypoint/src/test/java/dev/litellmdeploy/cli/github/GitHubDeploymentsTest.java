package dev.litellmdeploy.cli.github;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.stubbing.Scenario;

/** The exact request bodies GitHub gets, against WireMock. */
class GitHubDeploymentsTest {
    private static final String SHA = "0123456789abcdef0123456789abcdef01234567";
    private static final String LOG = "https://github.example.invalid/acme/gateway/actions/runs/99";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final GitHubApiStub github = new GitHubApiStub();
    private final List<String> warnings = new ArrayList<>();
    private final List<String> logged = new ArrayList<>();
    private final List<Duration> slept = new ArrayList<>();
    static final Instant NOW = Instant.parse("2026-12-02T02:00:00Z");

    /** A fixed clock and a sleeper that records: rate-limit waits are asserted, never slept. */
    private Waits waits() {
        return new Waits(Clock.fixed(NOW, ZoneOffset.UTC), slept::add, Duration.ofMillis(10), Waits.BUDGET);
    }

    @AfterEach
    void stop() {
        github.checkAndClose();
    }

    private GitHubDeployments publisher() {
        return new GitHubDeployments(github.apiUrl(), "ghs_fake_token_for_tests", GitHubApiStub.REPO, LOG, EnvironmentFlags.GITHUB_DEFAULTS, warnings::add, logged::add, waits());
    }

    private static JsonNode body(com.github.tomakehurst.wiremock.verification.LoggedRequest r) throws Exception {
        return JSON.readTree(r.getBodyAsString());
    }

    @Test
    void successPostsTheDeploymentThenInProgressThenSuccessWithTheEnvironmentAndLogUrls() throws Exception {
        github.accepting();
        GitHubDeployments p = publisher();
        assertEquals(42, p.start(SHA, "production", DeploymentStatusPublisher.DEPLOY, "Deploying 9659c359feab to 1 host(s)", "{\"bundle\":\"9659c359\",\"hosts\":[\"agent:22\"]}"));
        p.finish(DeploymentState.SUCCESS, "Deployed to 1 host(s)", "https://llm.example.invalid");
        var posts = github.posts();
        assertEquals(3, posts.size());
        assertEquals(JSON.readTree("""
                {"ref": "%s", "auto_merge": false, "required_contexts": [], "environment": "production",
                 "description": "Deploying 9659c359feab to 1 host(s)", "payload": "{\\"bundle\\":\\"9659c359\\",\\"hosts\\":[\\"agent:22\\"]}"}
                """.formatted(SHA)), body(posts.get(0)));
        assertEquals(JSON.readTree("""
                {"state": "in_progress", "description": "Deploying 9659c359feab to 1 host(s)", "log_url": "%s"}""".formatted(LOG)), body(posts.get(1)));
        assertEquals(JSON.readTree("""
                {"state": "success", "description": "Deployed to 1 host(s)", "log_url": "%s", "environment_url": "https://llm.example.invalid"}
                """.formatted(LOG)), body(posts.get(2)));
        assertTrue(posts.get(0).getHeader("Authorization").endsWith("ghs_fake_token_for_tests"));
        assertEquals(List.of(), warnings);
    }

    @Test
    void failureAndErrorCarryTheirStateAndAShortDescription() throws Exception {
        github.accepting();
        GitHubDeployments p = publisher();
        p.start(SHA, "staging", DeploymentStatusPublisher.DEPLOY, "Deploying", "{}");
        p.finish(DeploymentState.FAILURE, "Failed on 1 of 2 host(s); rolled back to the previous release; see the run log " + "x".repeat(200), null);
        JsonNode failure = body(github.posts().get(2));
        String cut = ("Failed on 1 of 2 host(s); rolled back to the previous release; see the run log " + "x".repeat(200)).substring(0, 139) + "…";
        assertEquals(JSON.readTree("{\"state\": \"failure\", \"description\": \"" + cut + "\", \"log_url\": \"" + LOG + "\"}"), failure);
        assertEquals(140, failure.get("description").asText().length());

        GitHubDeployments e = publisher();
        e.start(SHA, "staging", DeploymentStatusPublisher.DEPLOY, "Deploying", "{}");
        e.finish(DeploymentState.ERROR, "Could not start: 2 problem(s) in the templates or secrets; nothing was deployed", null);
        assertEquals(JSON.readTree("{\"state\": \"error\", \"description\": \"Could not start: 2 problem(s) in the templates or secrets;"
                + " nothing was deployed\", \"log_url\": \"" + LOG + "\"}"), body(github.posts().get(5)));

        GitHubDeployments bad = publisher();
        bad.couldNotStart(SHA, "staging", "Could not start: 1 invalid input(s); see the run log", "{\"bundle\":null,\"hosts\":[]}");
        var posts = github.posts();
        assertEquals("staging", body(posts.get(6)).get("environment").asText());
        assertEquals(JSON.readTree("{\"state\": \"error\", \"description\": \"Could not start: 1 invalid input(s); see the run log\","
                + " \"log_url\": \"" + LOG + "\"}"), body(posts.get(7)));
    }

    @Test
    void a403IsOneWarningThatNamesThePermissionAndTheDeployGoesOn() {
        github.server.stubFor(post(urlPathEqualTo(GitHubApiStub.PREFIX + "/repos/" + GitHubApiStub.REPO + "/deployments"))
                .willReturn(GitHubApiStub.json(403, "{\"message\": \"Resource not accessible by integration\"}")));
        GitHubDeployments p = publisher();
        assertEquals(-1, p.start(SHA, "production", DeploymentStatusPublisher.DEPLOY, "Deploying", "{}"));
        p.finish(DeploymentState.SUCCESS, "Deployed", null);
        assertEquals(1, github.posts().size(), "nothing more is sent once GitHub refused");
        assertEquals(1, warnings.size());
        assertTrue(warnings.get(0).contains("permissions: deployments: write"), warnings.get(0));
    }

    @Test
    void serverErrorsAreRetriedWithBackoffAndThenGiveUpWithAWarning() {
        String path = GitHubApiStub.PREFIX + "/repos/" + GitHubApiStub.REPO + "/deployments";
        github.accepting();
        github.server.stubFor(post(urlPathEqualTo(path)).inScenario("flaky").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(502)).willSetStateTo("second"));
        github.server.stubFor(post(urlPathEqualTo(path)).inScenario("flaky").whenScenarioStateIs("second")
                .willReturn(aResponse().withStatus(503)).willSetStateTo("third"));
        github.server.stubFor(post(urlPathEqualTo(path)).inScenario("flaky").whenScenarioStateIs("third")
                .willReturn(GitHubApiStub.json(201, "{\"id\": 42, \"url\": \"" + github.apiUrl() + "/repos/acme/gateway/deployments/42\"}")));
        assertEquals(42, publisher().start(SHA, "production", DeploymentStatusPublisher.DEPLOY, "Deploying", "{}"));
        assertEquals(List.of(), warnings);

        GitHubApiStub down = new GitHubApiStub();
        try {
            down.server.stubFor(post(urlPathEqualTo(path)).willReturn(aResponse().withStatus(500)));
            GitHubDeployments p = new GitHubDeployments(down.apiUrl(), "ghs_fake_token_for_tests", GitHubApiStub.REPO, LOG,
                    EnvironmentFlags.GITHUB_DEFAULTS, warnings::add, logged::add, waits());
            assertEquals(-1, p.start(SHA, "production", DeploymentStatusPublisher.DEPLOY, "Deploying", "{}"));
            assertEquals(GitHubDeployments.ATTEMPTS, down.posts().size(), "bounded retries");
            assertTrue(warnings.get(0).contains("after " + GitHubDeployments.ATTEMPTS + " attempts"), warnings.toString());
        } finally {
            down.close();
        }
    }

    private static final String DEPLOYMENTS = GitHubApiStub.PREFIX + "/repos/" + GitHubApiStub.REPO + "/deployments";
    private static final String CREATE = """
            {"ref": "%s", "auto_merge": false, "required_contexts": [], "environment": "production", "description": "Deploying",
             "payload": "{}"}""".formatted(SHA);

    /** The first answer to a path, then the accepting stubs. */
    private void firstThen(String path, com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder first) {
        github.accepting();
        github.server.stubFor(post(urlPathEqualTo(path)).inScenario("limited").whenScenarioStateIs(Scenario.STARTED).willReturn(first)
                .willSetStateTo("over"));
    }

    @Test
    void a403WithRateLimitRemainingZeroIsARateLimitWaitedOutUntilTheResetNotAMissingPermission() throws Exception {
        firstThen(DEPLOYMENTS, GitHubApiStub.json(403, """
                {"message": "API rate limit exceeded for installation ID 1.", "documentation_url":
                 "https://docs.github.com/rest/overview/resources-in-the-rest-api#rate-limiting"}""")
                .withHeader("x-ratelimit-limit", "5000").withHeader("x-ratelimit-remaining", "0")
                .withHeader("x-ratelimit-reset", Long.toString(NOW.getEpochSecond() + 30)));
        assertEquals(42, publisher().start(SHA, "production", DeploymentStatusPublisher.DEPLOY, "Deploying", "{}"));
        assertEquals(List.of(Duration.ofSeconds(31)), slept, "until the reset, plus a second");
        assertEquals(List.of("GitHub rate limit on create a deployment (HTTP 403, x-ratelimit-reset): waiting 31 s, then retrying"), logged);
        assertEquals(List.of(), warnings);
        var posts = github.posts();
        assertEquals(JSON.readTree(CREATE), body(posts.get(0)));
        assertEquals(JSON.readTree(CREATE), body(posts.get(1)), "the same request again");
    }

    @Test
    void a429WaitsTheRetryAfterGitHubAsksForAndSaysSo() throws Exception {
        firstThen(DEPLOYMENTS + "/42/statuses", GitHubApiStub.json(429, """
                {"message": "You have exceeded a secondary rate limit. Please wait a few minutes before you try again."}""")
                .withHeader("retry-after", "7"));
        assertEquals(42, publisher().start(SHA, "production", DeploymentStatusPublisher.DEPLOY, "Deploying", "{}"));
        assertEquals(List.of(Duration.ofSeconds(7)), slept);
        assertEquals(List.of("GitHub rate limit on post the deployment status 'in_progress' (HTTP 429, retry-after): waiting 7 s, then retrying"),
                logged);
        var posts = github.posts();
        assertEquals(3, posts.size());
        assertEquals(JSON.readTree("{\"state\": \"in_progress\", \"description\": \"Deploying\", \"log_url\": \"" + LOG + "\"}"), body(posts.get(2)));
        assertEquals(List.of(), warnings);
    }

    @Test
    void a403WithRetryAfterIsASecondaryRateLimitAndA429WithoutHeadersWaitsAMinute() throws Exception {
        firstThen(DEPLOYMENTS, GitHubApiStub.json(403, "{\"message\": \"You have exceeded a secondary rate limit.\"}").withHeader("retry-after", "60"));
        assertEquals(42, publisher().start(SHA, "production", DeploymentStatusPublisher.DEPLOY, "Deploying", "{}"));
        github.server.resetScenarios();
        firstThen(DEPLOYMENTS, GitHubApiStub.json(429, "{\"message\": \"slow down\"}"));
        assertEquals(42, publisher().start(SHA, "production", DeploymentStatusPublisher.DEPLOY, "Deploying", "{}"));
        assertEquals(List.of(Duration.ofSeconds(60), Duration.ofSeconds(60)), slept);
        assertTrue(logged.get(1).contains("no retry-after: at least a minute"), logged.toString());
        assertEquals(List.of(), warnings);
    }

    @Test
    void aRateLimitThatResetsBeyondTheBudgetIsOneWarningWithoutWaitingOrRetrying() {
        github.server.stubFor(post(urlPathEqualTo(DEPLOYMENTS)).willReturn(GitHubApiStub.json(403, "{\"message\": \"API rate limit exceeded\"}")
                .withHeader("x-ratelimit-remaining", "0").withHeader("x-ratelimit-reset", Long.toString(NOW.getEpochSecond() + 3600))));
        GitHubDeployments p = publisher();
        assertEquals(-1, p.start(SHA, "production", DeploymentStatusPublisher.DEPLOY, "Deploying", "{}"));
        p.finish(DeploymentState.SUCCESS, "Deployed", null);
        assertEquals(List.of(), slept);
        assertEquals(1, github.posts().size(), "nothing more is sent while rate limited");
        assertEquals(List.of("could not create a deployment on GitHub: rate limited (HTTP 403, x-ratelimit-reset); GitHub asks to wait 3601 s,"
                + " more than the 120 s left of the 120 s this run waits on GitHub. The run goes on without a GitHub deployment."), warnings);
    }

    @Test
    void descriptionsAreCutBetweenCodePointsNeverInsideAnEmoji() throws Exception {
        github.accepting();
        String text = "a".repeat(138) + "\uD83D\uDE80\uD83D\uDE80\uD83D\uDE80";
        publisher().start(SHA, "production", DeploymentStatusPublisher.DEPLOY, text, "{}");
        String sent = body(github.posts().get(0)).get("description").asText();
        assertEquals("a".repeat(138) + "\uD83D\uDE80…", sent);
        assertEquals(140, sent.codePointCount(0, sent.length()));
    }

    @Test
    void environmentFlagsAndARollbackTaskAreSentAsGitHubDefinesThem() throws Exception {
        github.accepting();
        GitHubDeployments p = new GitHubDeployments(github.apiUrl(), "ghs_fake_token_for_tests", GitHubApiStub.REPO, LOG,
                new EnvironmentFlags(false, true, false), warnings::add, logged::add, waits());
        p.start(SHA, "review-7", DeploymentStatusPublisher.ROLLBACK, "Rolling back", "{\"rollback_to\":\"previous\"}");
        p.finish(DeploymentState.SUCCESS, "Rolled back", null);
        var posts = github.posts();
        assertEquals(JSON.readTree("""
                {"ref": "%s", "task": "deploy:rollback", "auto_merge": false, "required_contexts": [], "environment": "review-7",
                 "description": "Rolling back", "payload": "{\\"rollback_to\\":\\"previous\\"}", "production_environment": false,
                 "transient_environment": true}""".formatted(SHA)), body(posts.get(0)));
        assertEquals(JSON.readTree("{\"state\": \"success\", \"description\": \"Rolled back\", \"log_url\": \"" + LOG + "\", \"auto_inactive\": false}"),
                body(posts.get(2)));
    }

    @Test
    void aTokenTheHttpClientRefusesIsAWarningNeverAnException() {
        github.accepting();
        GitHubDeployments p = new GitHubDeployments(github.apiUrl(), "ghs_fake_token_for_tests\nX-Evil: 1", GitHubApiStub.REPO, LOG,
                EnvironmentFlags.GITHUB_DEFAULTS, warnings::add, logged::add, waits());
        assertEquals(-1, p.start(SHA, "production", DeploymentStatusPublisher.DEPLOY, "Deploying", "{}"));
        assertEquals(List.of("could not create a deployment on GitHub (IllegalArgumentException). The run goes on without a GitHub deployment."),
                warnings);
    }
}
