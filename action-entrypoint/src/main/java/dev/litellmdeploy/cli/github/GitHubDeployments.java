package dev.litellmdeploy.cli.github;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

import org.kohsuke.github.GHDeployment;
import org.kohsuke.github.GHDeploymentBuilder;
import org.kohsuke.github.GHRepository;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * {@link DeploymentStatusPublisher} with the GitHub API for Java: works with github.com and GitHub Enterprise (the API URL
 * comes from GITHUB_API_URL). Every call goes through {@link GitHubCall}: rate limits waited out within a budget, 5xx
 * retried, a missing {@code deployments: write} one warning that names the fix. The deploy goes on either way.
 */
public final class GitHubDeployments implements DeploymentStatusPublisher {
    static final int ATTEMPTS = GitHubCall.ATTEMPTS;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private final String apiUrl;
    private final String token;
    private final String repository;
    private final String logUrl;
    private final EnvironmentFlags flags;
    private final GitHubCall calls;
    private GHRepository repo;
    private GHDeployment deployment;

    public GitHubDeployments(String apiUrl, String token, String repository, String logUrl, EnvironmentFlags flags, Consumer<String> warn,
            Consumer<String> log, Waits waits) {
        this.apiUrl = apiUrl;
        this.token = token;
        this.repository = repository;
        this.logUrl = logUrl;
        this.flags = flags;
        this.calls = new GitHubCall("give the workflow `permissions: deployments: write` (and `contents: read`)", "a GitHub deployment", warn, log, waits);
    }

    @Override
    public long start(String sha, String environment, String task, String description, String payloadJson) {
        if (!create(sha, environment, task, description, payloadJson)) {
            return -1;
        }
        post(DeploymentState.IN_PROGRESS, description, null);
        return deployment.getId();
    }

    @Override
    public void couldNotStart(String sha, String environment, String description, String payloadJson) {
        if (create(sha, environment, DEPLOY, description, payloadJson)) {
            post(DeploymentState.ERROR, description, null);
        }
    }

    private boolean create(String sha, String environment, String task, String description, String payloadJson) {
        deployment = calls.attempt("create a deployment", () -> {
            if (repo == null) {
                repo = GitHubCall.client(apiUrl, token).getRepository(repository);
            }
            GHDeploymentBuilder b = repo.createDeployment(sha).autoMerge(false).requiredContexts(List.of()).environment(environment)
                    .description(Descriptions.fit(description)).payload(payloadJson);
            if (!DEPLOY.equals(task)) {
                b.task(task);
            }
            if (flags.production() != null) {
                b.productionEnvironment(flags.production());
            }
            if (flags.transientEnvironment() != null) {
                b.transientEnvironment(flags.transientEnvironment());
            }
            return b.create();
        });
        return deployment != null;
    }

    @Override
    public void finish(DeploymentState state, String description, String environmentUrl) {
        if (deployment != null) {
            post(state, description, environmentUrl);
        }
    }

    /**
     * Statuses are sent by hand: the library spells the state "in-progress", which GitHub rejects
     * (it wants "in_progress"; see GitHubDeploymentsTest).
     */
    private void post(DeploymentState state, String description, String environmentUrl) {
        String wire = state.name().toLowerCase(Locale.ROOT);
        calls.attempt("post the deployment status '" + wire + "'", () -> {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("state", wire);
            body.put("description", Descriptions.fit(description));
            body.put("log_url", logUrl);
            if (environmentUrl != null && !environmentUrl.isBlank()) {
                body.put("environment_url", environmentUrl);
            }
            if (flags.autoInactive() != null) {
                body.put("auto_inactive", flags.autoInactive());
            }
            String url = apiUrl.replaceAll("/+$", "") + "/repos/" + repository + "/deployments/" + deployment.getId() + "/statuses";
            HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                    .header("Authorization", "Bearer " + token)
                    .header("Accept", "application/vnd.github+json")
                    .header("X-GitHub-Api-Version", "2022-11-28")
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build();
            try {
                HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() / 100 != 2) {
                    throw new GitHubRefusal(response.statusCode(), h -> response.headers().firstValue(h).orElse(null));
                }
                return response.statusCode();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
        });
    }
}
