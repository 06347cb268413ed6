package dev.litellmdeploy.cli.github;

/**
 * The deployment API's environment flags as GitHub defines them, each null when not given (GitHub's default then holds):
 * {@code production_environment} and {@code transient_environment} on the deployment (production defaults to true for the
 * environment named production), {@code auto_inactive} on its statuses (default true: a new success marks the earlier
 * successful deployments of the same environment inactive).
 */
public record EnvironmentFlags(Boolean production, Boolean transientEnvironment, Boolean autoInactive) {
    public static final EnvironmentFlags GITHUB_DEFAULTS = new EnvironmentFlags(null, null, null);
}
