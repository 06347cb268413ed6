package dev.litellmdeploy.cli.github;

/** The port to where a pull request's plan is shown (one sticky comment). Never fails a run: problems are warnings. */
public interface PlanCommentPublisher {
    /** Creates, or updates, the one comment on pull request {@code number} whose body holds {@code marker}. */
    void publish(int number, String marker, String body);

    /** Publishes nothing: no token, or not a pull request. */
    PlanCommentPublisher NONE = (number, marker, body) -> { };
}
