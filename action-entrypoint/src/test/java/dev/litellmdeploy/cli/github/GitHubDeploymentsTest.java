package dev.litellmdeploy.cli.github;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
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

    @AfterEach
    void stop() {
        github.close();
    }

    private GitHubDeployments publisher() {
        return new GitHubDeployments(github.apiUrl(), "ghs_fake_token_for_tests", GitHubApiStub.REPO, LOG, warnings::add, Duration.ofMillis(10));
    }

    private static JsonNode body(com.github.tomakehurst.wiremock.verification.LoggedRequest r) throws Exception {
        return JSON.readTree(r.getBodyAsString());
    }

    @Test
    void successPostsTheDeploymentThenInProgressThenSuccessWithTheEnvironmentAndLogUrls() throws Exception {
        github.accepting();
        GitHubDeployments p = publisher();
        assertEquals(42, p.start(SHA, "production", "Deploying 9659c359feab to 1 host(s)", "{\"bundle\":\"9659c359\",\"hosts\":[\"agent:22\"]}"));
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
        p.start(SHA, "staging", "Deploying", "{}");
        p.finish(DeploymentState.FAILURE, "Failed on 1 of 2 host(s); rolled back to the previous release; see the run log " + "x".repeat(200), null);
        JsonNode failure = body(github.posts().get(2));
        String cut = ("Failed on 1 of 2 host(s); rolled back to the previous release; see the run log " + "x".repeat(200)).substring(0, 139) + "…";
        assertEquals(JSON.readTree("{\"state\": \"failure\", \"description\": \"" + cut + "\", \"log_url\": \"" + LOG + "\"}"), failure);
        assertEquals(140, failure.get("description").asText().length());

        GitHubDeployments e = publisher();
        e.start(SHA, "staging", "Deploying", "{}");
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
        assertEquals(-1, p.start(SHA, "production", "Deploying", "{}"));
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
        assertEquals(42, publisher().start(SHA, "production", "Deploying", "{}"));
        assertEquals(List.of(), warnings);

        GitHubApiStub down = new GitHubApiStub();
        try {
            down.server.stubFor(post(urlPathEqualTo(path)).willReturn(aResponse().withStatus(500)));
            GitHubDeployments p = new GitHubDeployments(down.apiUrl(), "ghs_fake_token_for_tests", GitHubApiStub.REPO, LOG, warnings::add,
                    Duration.ofMillis(10));
            assertEquals(-1, p.start(SHA, "production", "Deploying", "{}"));
            assertEquals(GitHubDeployments.ATTEMPTS, down.posts().size(), "bounded retries");
            assertTrue(warnings.get(0).contains("after " + GitHubDeployments.ATTEMPTS + " attempts"), warnings.toString());
        } finally {
            down.close();
        }
    }
}
