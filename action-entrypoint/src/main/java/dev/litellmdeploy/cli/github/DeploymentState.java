package dev.litellmdeploy.cli.github;

/** The deployment states this tool posts (GitHub's names, sent lower-case). */
public enum DeploymentState {
    IN_PROGRESS, SUCCESS, FAILURE, ERROR
}
