package dev.litellmdeploy.cli.github;

/**
 * The port to where deployments are shown (GitHub). Publishing never fails a deploy: problems
 * come back as warnings through the callback given to the adapter.
 */
public interface DeploymentStatusPublisher {

    /**
     * Creates the deployment for a commit and marks it in progress.
     *
     * @return the deployment id, or -1 when nothing was created (no token, no permission, API down)
     */
    long start(String sha, String environment, String task, String description, String payloadJson);

    /** GitHub's task for a deploy (its default). */
    String DEPLOY = "deploy";
    /** The task of a rollback: a deployment of an earlier release (the payload names it). */
    String ROLLBACK = "deploy:rollback";

    /** Records a deployment that could not start (bad input, no connection): created, then straight to {@code error}. */
    void couldNotStart(String sha, String environment, String description, String payloadJson);

    /** Posts the final state of the deployment {@link #start} created (nothing when it created none). */
    void finish(DeploymentState state, String description, String environmentUrl);

    /** Publishes nothing: no token was given. */
    DeploymentStatusPublisher NONE = new DeploymentStatusPublisher() {
        @Override
        public long start(String sha, String environment, String task, String description, String payloadJson) {
            return -1;
        }

        @Override
        public void couldNotStart(String sha, String environment, String description, String payloadJson) {
        }

        @Override
        public void finish(DeploymentState state, String description, String environmentUrl) {
        }
    };
}
