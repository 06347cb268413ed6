package dev.litellmdeploy.cli.github;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import java.util.List;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

/** A GitHub (Enterprise-style: /api/v3) API on loopback, answering like GitHub for the calls this tool makes. */
public final class GitHubApiStub implements AutoCloseable {
    public static final String REPO = "acme/gateway";
    public static final String PREFIX = "/api/v3";
    public final WireMockServer server = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());

    public GitHubApiStub() {
        server.start();
        String base = apiUrl();
        server.stubFor(get(urlPathEqualTo(PREFIX + "/repos/" + REPO)).willReturn(json(200, """
                {"id": 1, "node_id": "R_1", "name": "gateway", "full_name": "acme/gateway", "private": true,
                 "owner": {"login": "acme", "id": 2, "type": "Organization"},
                 "url": "%1$s/repos/acme/gateway", "html_url": "http://127.0.0.1/acme/gateway"}""".formatted(base))));
    }

    public String apiUrl() {
        return "http://127.0.0.1:" + server.port() + PREFIX;
    }

    /** Deployments are created with id 42; statuses answer 201. */
    public GitHubApiStub accepting() {
        server.stubFor(post(urlPathEqualTo(PREFIX + "/repos/" + REPO + "/deployments")).willReturn(json(201, """
                {"id": 42, "url": "%1$s/repos/acme/gateway/deployments/42", "sha": "0123456789abcdef0123456789abcdef01234567",
                 "ref": "0123456789abcdef0123456789abcdef01234567", "task": "deploy", "environment": "production",
                 "statuses_url": "%1$s/repos/acme/gateway/deployments/42/statuses", "repository_url": "%1$s/repos/acme/gateway",
                 "created_at": "2026-11-29T06:00:00Z", "updated_at": "2026-11-29T06:00:00Z"}""".formatted(apiUrl()))));
        server.stubFor(post(urlPathEqualTo(PREFIX + "/repos/" + REPO + "/deployments/42/statuses")).willReturn(json(201, """
                {"id": 7, "state": "in_progress", "url": "%1$s/repos/acme/gateway/deployments/42/statuses/7",
                 "deployment_url": "%1$s/repos/acme/gateway/deployments/42", "repository_url": "%1$s/repos/acme/gateway",
                 "created_at": "2026-11-29T06:00:01Z", "updated_at": "2026-11-29T06:00:01Z"}""".formatted(apiUrl()))));
        return this;
    }

    /**
     * Pull request 7 with one comment by a person; a plan comment posted (id 900) is listed from then on, and can be edited.
     * The scenario "pr-7" goes from no plan comment to "commented".
     */
    public GitHubApiStub pullRequestSeven() {
        String issues = PREFIX + "/repos/" + REPO + "/issues";
        server.stubFor(get(urlPathEqualTo(issues + "/7")).willReturn(json(200, """
                {"id": 70, "node_id": "PR_7", "number": 7, "title": "Add a model", "state": "open", "user": {"login": "octocat", "id": 1},
                 "url": "%1$s/repos/acme/gateway/issues/7", "comments_url": "%1$s/repos/acme/gateway/issues/7/comments",
                 "html_url": "http://127.0.0.1/acme/gateway/pull/7", "pull_request": {"url": "%1$s/repos/acme/gateway/pulls/7"}}"""
                .formatted(apiUrl()))));
        String person = """
                {"id": 800, "node_id": "IC_800", "body": "Looks good, <!-- not a plan -->", "user": {"login": "octocat", "id": 1},
                 "url": "%1$s/repos/acme/gateway/issues/comments/800", "html_url": "http://127.0.0.1/acme/gateway/pull/7#issuecomment-800"}"""
                .formatted(apiUrl());
        String plan = """
                {"id": 900, "node_id": "IC_900", "body": "<!-- litellm-deploy plan: production -->\\nold plan",
                 "user": {"login": "github-actions[bot]", "id": 41898282, "type": "Bot"},
                 "url": "%1$s/repos/acme/gateway/issues/comments/900", "html_url": "http://127.0.0.1/acme/gateway/pull/7#issuecomment-900"}"""
                .formatted(apiUrl());
        server.stubFor(get(urlPathEqualTo(issues + "/7/comments")).inScenario("pr-7").whenScenarioStateIs(com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED)
                .willReturn(json(200, "[" + person + "]")));
        server.stubFor(get(urlPathEqualTo(issues + "/7/comments")).inScenario("pr-7").whenScenarioStateIs("commented")
                .willReturn(json(200, "[" + person + ", " + plan + "]")));
        server.stubFor(post(urlPathEqualTo(issues + "/7/comments")).inScenario("pr-7").willReturn(json(201, plan)).willSetStateTo("commented"));
        server.stubFor(com.github.tomakehurst.wiremock.client.WireMock.patch(urlPathEqualTo(issues + "/comments/900")).willReturn(json(200, plan)));
        return this;
    }

    /** Every request but the repository look-ups, in order: "METHOD path body". */
    public List<String> writes() {
        return server.getAllServeEvents().stream().map(e -> e.getRequest()).filter(r -> !r.getMethod().getName().equals("GET"))
                .sorted(java.util.Comparator.comparing(LoggedRequest::getLoggedDate))
                .map(r -> r.getMethod().getName() + " " + r.getUrl() + " " + r.getBodyAsString()).toList();
    }

    static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder json(int status, String body) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/json; charset=utf-8").withBody(body);
    }

    public List<LoggedRequest> posts() {
        return server.getAllServeEvents().stream().map(e -> e.getRequest()).filter(r -> r.getMethod().getName().equals("POST"))
                .sorted(java.util.Comparator.comparing(LoggedRequest::getLoggedDate)).toList();
    }

    @Override
    public void close() {
        server.stop();
    }
}
