package dev.litellmdeploy.cli.action;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The run's context from the runner's GITHUB_* variables; GitHub Enterprise works through the server and API URLs. */
public record GitHubContext(String repository, String sha, String ref, String runId, String runAttempt, String serverUrl, String apiUrl,
        String actor, String eventName, String workspace, String outputFile, String summaryFile, String eventPath) {

    static final List<String> REQUIRED = List.of("GITHUB_REPOSITORY", "GITHUB_SHA", "GITHUB_RUN_ID", "GITHUB_WORKSPACE", "GITHUB_OUTPUT",
            "GITHUB_STEP_SUMMARY");

    public static GitHubContext from(Map<String, String> env) {
        List<String> missing = new ArrayList<>();
        for (String name : REQUIRED) {
            if (env.get(name) == null || env.get(name).isBlank()) {
                missing.add(name);
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("action mode needs the GitHub Actions runner's variables; missing: " + String.join(", ", missing)
                    + ". Run it as a GitHub Action step (uses: ...), or use `litellm-deploy deploy` outside Actions");
        }
        return new GitHubContext(env.get("GITHUB_REPOSITORY"), env.get("GITHUB_SHA"), env.getOrDefault("GITHUB_REF", ""), env.get("GITHUB_RUN_ID"),
                env.getOrDefault("GITHUB_RUN_ATTEMPT", "1"), env.getOrDefault("GITHUB_SERVER_URL", "https://github.com"),
                env.getOrDefault("GITHUB_API_URL", "https://api.github.com"), env.getOrDefault("GITHUB_ACTOR", "unknown"),
                env.getOrDefault("GITHUB_EVENT_NAME", ""), env.get("GITHUB_WORKSPACE"), env.get("GITHUB_OUTPUT"), env.get("GITHUB_STEP_SUMMARY"),
                env.getOrDefault("GITHUB_EVENT_PATH", ""));
    }

    /**
     * The pull request a pull_request event is for: {@code pull_request.number} of the event file, else the N of
     * {@code refs/pull/N/merge}; -1 for any other event.
     */
    public int pullRequest() {
        if (!ActionSettings.PULL_REQUEST_EVENTS.contains(eventName)) {
            return -1;
        }
        try {
            if (!eventPath.isEmpty() && java.nio.file.Files.isRegularFile(java.nio.file.Path.of(eventPath))) {
                var number = new com.fasterxml.jackson.databind.ObjectMapper().readTree(java.nio.file.Path.of(eventPath).toFile())
                        .path("pull_request").path("number");
                if (number.canConvertToInt() && number.asInt() > 0) {
                    return number.asInt();
                }
            }
        } catch (java.io.IOException e) {
            // the ref below
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("refs/pull/(\\d{1,9})/(merge|head)").matcher(ref);
        return m.matches() ? Integer.parseInt(m.group(1)) : -1;
    }

    /** The run's page: the log link on deployment statuses. */
    public String runUrl() {
        return serverUrl + "/" + repository + "/actions/runs/" + runId + ("1".equals(runAttempt) ? "" : "/attempts/" + runAttempt);
    }
}
