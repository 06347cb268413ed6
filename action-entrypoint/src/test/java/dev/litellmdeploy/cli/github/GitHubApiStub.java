package dev.litellmdeploy.cli.github;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.patch;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

/**
 * A GitHub (Enterprise-style: /api/v3) API on loopback for the calls this tool makes, answering with the examples of
 * GitHub's published REST description ({@link RestDescription}: ids, node_id, creator, statuses_url...), made this stub's
 * own (its URL, the repository acme/gateway, the ids the tests use). {@link #problems} checks every request body it got
 * against the description's request schemas.
 */
public final class GitHubApiStub implements AutoCloseable {
    public static final String REPO = "acme/gateway";
    public static final String PREFIX = "/api/v3";
    public final WireMockServer server = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());

    public GitHubApiStub() {
        server.start();
        ObjectNode repo = example("repos/get");
        repo.put("private", true).put("name", "gateway");
        ((ObjectNode) repo.get("owner")).put("login", "acme").put("type", "Organization");
        server.stubFor(get(urlPathEqualTo(PREFIX + "/repos/" + REPO)).willReturn(json(200, repo.toString())));
    }

    public String apiUrl() {
        return "http://127.0.0.1:" + server.port() + PREFIX;
    }

    /** GitHub's example answer for an operation, its URLs pointing here and its repository acme/gateway. */
    private ObjectNode example(String operationId) {
        return (ObjectNode) RestDescription.parse(RestDescription.example(operationId).toString().replace("https://api.github.com", apiUrl())
                .replace("octocat/Hello-World", REPO));
    }

    /** Deployments are created with id 42; statuses answer 201 with id 7. */
    public GitHubApiStub accepting() {
        ObjectNode deployment = example("repos/create-deployment");
        deployment.put("id", 42).put("url", apiUrl() + "/repos/" + REPO + "/deployments/42").put("statuses_url", apiUrl() + "/repos/" + REPO
                + "/deployments/42/statuses").put("sha", "0123456789abcdef0123456789abcdef01234567").put("environment", "production");
        server.stubFor(post(urlPathEqualTo(PREFIX + "/repos/" + REPO + "/deployments")).willReturn(json(201, deployment.toString())));
        ObjectNode status = example("repos/create-deployment-status");
        status.put("id", 7).put("state", "in_progress").put("deployment_url", apiUrl() + "/repos/" + REPO + "/deployments/42");
        server.stubFor(post(urlPathEqualTo(PREFIX + "/repos/" + REPO + "/deployments/42/statuses")).willReturn(json(201, status.toString())));
        return this;
    }

    /**
     * Pull request 7 with one comment by a person; a plan comment posted (id 900) is listed from then on, and can be edited.
     * The scenario "pr-7" goes from no plan comment to "commented".
     */
    public GitHubApiStub pullRequestSeven() {
        String issues = PREFIX + "/repos/" + REPO + "/issues";
        ObjectNode issue = example("issues/get");
        issue.put("number", 7).put("url", apiUrl() + "/repos/" + REPO + "/issues/7").put("comments_url", apiUrl() + "/repos/" + REPO
                + "/issues/7/comments");
        server.stubFor(get(urlPathEqualTo(issues + "/7")).willReturn(json(200, issue.toString())));
        ObjectNode person = (ObjectNode) RestDescription.parse(example("issues/get").get("user").toString());
        ObjectNode byPerson = comment(800, "Looks good, <!-- not a plan -->");
        byPerson.set("user", person);
        ObjectNode plan = comment(900, "<!-- litellm-deploy plan: production -->\nold plan");
        ((ObjectNode) plan.get("user")).put("login", "github-actions[bot]").put("id", 41898282).put("type", "Bot");
        server.stubFor(get(urlPathEqualTo(issues + "/7/comments")).inScenario("pr-7").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(json(200, "[" + byPerson + "]")));
        server.stubFor(get(urlPathEqualTo(issues + "/7/comments")).inScenario("pr-7").whenScenarioStateIs("commented")
                .willReturn(json(200, "[" + byPerson + ", " + plan + "]")));
        server.stubFor(post(urlPathEqualTo(issues + "/7/comments")).inScenario("pr-7").willReturn(json(201, plan.toString()))
                .willSetStateTo("commented"));
        server.stubFor(patch(urlPathEqualTo(issues + "/comments/900")).willReturn(json(200, plan.toString())));
        return this;
    }

    private ObjectNode comment(long id, String body) {
        ObjectNode c = example("issues/create-comment");
        c.put("id", id).put("body", body).put("url", apiUrl() + "/repos/" + REPO + "/issues/comments/" + id)
                .put("issue_url", apiUrl() + "/repos/" + REPO + "/issues/7");
        return c;
    }

    static ResponseDefinitionBuilder json(int status, String body) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/json; charset=utf-8").withBody(body);
    }

    public List<LoggedRequest> posts() {
        return server.getAllServeEvents().stream().map(e -> e.getRequest()).filter(r -> r.getMethod().getName().equals("POST"))
                .sorted(Comparator.comparing(LoggedRequest::getLoggedDate)).toList();
    }

    /** Every request but the reads, in order: "METHOD path body". */
    public List<String> writes() {
        return server.getAllServeEvents().stream().map(e -> e.getRequest()).filter(r -> !r.getMethod().getName().equals("GET"))
                .sorted(Comparator.comparing(LoggedRequest::getLoggedDate))
                .map(r -> r.getMethod().getName() + " " + r.getUrl() + " " + r.getBodyAsString()).toList();
    }

    /**
     * What GitHub's description finds wrong with the bodies this stub was sent since the last reset ("METHOD path: problem"),
     * and any write it does not know; empty when every body is as the description says.
     */
    public List<String> problems() {
        List<String> out = new ArrayList<>();
        for (var e : server.getAllServeEvents()) {
            LoggedRequest r = e.getRequest();
            String method = r.getMethod().getName();
            if (method.equals("GET")) {
                continue;
            }
            String path = r.getUrl().replaceFirst("\\?.*", "").substring(PREFIX.length());
            String op = RestDescription.operationOf(method, path);
            if (op == null) {
                out.add(method + " " + path + ": not an operation of rest-subset.json");
                continue;
            }
            RestDescription.problems(op, r.getBodyAsString()).forEach(p -> out.add(method + " " + path + ": " + p));
        }
        return out;
    }

    /** Fails the test when a request body is not as GitHub's description says ({@link #problems}); stops the stub either way. */
    public void checkAndClose() {
        try {
            org.junit.jupiter.api.Assertions.assertEquals(List.of(), problems(), "every request body as GitHub's REST description says");
        } finally {
            close();
        }
    }

    @Override
    public void close() {
        server.stop();
    }
}
