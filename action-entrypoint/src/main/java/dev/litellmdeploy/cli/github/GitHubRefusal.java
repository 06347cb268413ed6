package dev.litellmdeploy.cli.github;

import java.io.IOException;
import java.util.function.Function;

/** A non-2xx answer from GitHub with the headers that tell a rate limit from a missing permission ({@link GitHubLimits}). */
final class GitHubRefusal extends IOException {
    private static final long serialVersionUID = 1L;

    final int status;
    final transient Function<String, String> header;

    GitHubRefusal(int status, Function<String, String> header) {
        super("GitHub answered HTTP " + status);
        this.status = status;
        this.header = header;
    }
}
