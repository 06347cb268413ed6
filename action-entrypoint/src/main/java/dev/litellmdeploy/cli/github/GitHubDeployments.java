package dev.litellmdeploy.cli.github;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

import org.kohsuke.github.GHDeployment;
import org.kohsuke.github.GHRepository;
import org.kohsuke.github.GitHub;
import org.kohsuke.github.GitHubAbuseLimitHandler;
import org.kohsuke.github.GitHubBuilder;
import org.kohsuke.github.GitHubRateLimitHandler;
import org.kohsuke.github.HttpException;

/**
 * {@link DeploymentStatusPublisher} with the GitHub API for Java: works with github.com and GitHub
 * Enterprise (the API URL comes from GITHUB_API_URL). 5xx answers and rate limits are retried with
 * backoff, a bounded number of times; a 403/404 (the token lacks {@code deployments: write}) turns
 * publishing off with one warning that names the fix. The deploy goes on either way.
 */
public final class GitHubDeployments implements DeploymentStatusPublisher {
    static final int ATTEMPTS = 4;
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();
    private static final java.net.http.HttpClient HTTP = java.net.http.HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private final String apiUrl;
    private final String token;
    private final String repository;
    private final String logUrl;
    private final Consumer<String> warn;
    private final Duration backoff;
    private GHRepository repo;
    private GHDeployment deployment;
    private boolean disabled;

    public GitHubDeployments(String apiUrl, String token, String repository, String logUrl, Consumer<String> warn, Duration backoff) {
        this.apiUrl = apiUrl;
        this.token = token;
        this.repository = repository;
        this.logUrl = logUrl;
        this.warn = warn;
        this.backoff = backoff;
    }

    private interface Call<T> {
        T run() throws IOException;
    }

    @Override
    public long start(String sha, String environment, String description, String payloadJson) {
        if (!create(sha, environment, description, payloadJson)) {
            return -1;
        }
        post(DeploymentState.IN_PROGRESS, description, null);
        return deployment.getId();
    }

    @Override
    public void couldNotStart(String sha, String environment, String description, String payloadJson) {
        if (create(sha, environment, description, payloadJson)) {
            post(DeploymentState.ERROR, description, null);
        }
    }

    private boolean create(String sha, String environment, String description, String payloadJson) {
        GHDeployment created = attempt("create a deployment", () -> {
            if (repo == null) {
                GitHub gh = new GitHubBuilder().withEndpoint(apiUrl).withOAuthToken(token)
                        .withRateLimitHandler(GitHubRateLimitHandler.FAIL).withAbuseLimitHandler(GitHubAbuseLimitHandler.FAIL).build();
                repo = gh.getRepository(repository);
            }
            return repo.createDeployment(sha).autoMerge(false).requiredContexts(List.of()).environment(environment)
                    .description(Descriptions.fit(description)).payload(payloadJson).create();
        });
        deployment = created;
        return created != null;
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
        String wire = state.name().toLowerCase(java.util.Locale.ROOT);
        attempt("post the deployment status '" + wire + "'", () -> {
            java.util.Map<String, Object> body = new java.util.LinkedHashMap<>();
            body.put("state", wire);
            body.put("description", Descriptions.fit(description));
            body.put("log_url", logUrl);
            if (environmentUrl != null && !environmentUrl.isBlank()) {
                body.put("environment_url", environmentUrl);
            }
            String url = apiUrl.replaceAll("/+$", "") + "/repos/" + repository + "/deployments/" + deployment.getId() + "/statuses";
            java.net.http.HttpRequest request = java.net.http.HttpRequest.newBuilder(java.net.URI.create(url))
                    .timeout(Duration.ofSeconds(30))
                    .header("Authorization", "Bearer " + token)
                    .header("Accept", "application/vnd.github+json")
                    .header("X-GitHub-Api-Version", "2022-11-28")
                    .header("Content-Type", "application/json")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build();
            try {
                java.net.http.HttpResponse<String> response = HTTP.send(request, java.net.http.HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() / 100 != 2) {
                    throw new HttpException("deployment status refused", response.statusCode(), "", url);
                }
                return response.statusCode();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
        });
    }

    private <T> T attempt(String what, Call<T> call) {
        if (disabled) {
            return null;
        }
        Duration wait = backoff;
        for (int i = 1; ; i++) {
            try {
                return call.run();
            } catch (HttpException e) {
                int code = e.getResponseCode();
                if (code == 403 || code == 404 || code == 401) {
                    disabled = true;
                    warn.accept("could not " + what + " on GitHub (HTTP " + code + (code == 401 ? ", the token is invalid" : ", \"Resource not"
                            + " accessible by integration\"") + "): give the workflow `permissions: deployments: write` (and contents: read)."
                            + " The deploy goes on without a GitHub deployment.");
                    return null;
                }
                if (!(code >= 500 || code == 429 || code == -1) || i >= ATTEMPTS) {
                    disabled = true;
                    warn.accept("could not " + what + " on GitHub (HTTP " + code + ") after " + i + " attempts; the deploy goes on without it");
                    return null;
                }
            } catch (IOException e) {
                if (i >= ATTEMPTS) {
                    disabled = true;
                    warn.accept("could not " + what + " on GitHub (" + e.getClass().getSimpleName() + ") after " + i
                            + " attempts; the deploy goes on without it");
                    return null;
                }
            }
            sleep(wait);
            wait = wait.multipliedBy(2);
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
