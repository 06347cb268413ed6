package dev.litellmdeploy.cli.github;

import java.io.IOException;
import java.time.Duration;
import java.util.function.Consumer;

import org.kohsuke.github.GitHub;
import org.kohsuke.github.GitHubAbuseLimitHandler;
import org.kohsuke.github.GitHubBuilder;
import org.kohsuke.github.GitHubRateLimitHandler;
import org.kohsuke.github.HttpException;
import org.kohsuke.github.connector.GitHubConnectorResponse;

/**
 * Runs calls to GitHub for one adapter and never throws: a rate limit waits what GitHub asks ({@link GitHubLimits}) while the
 * run's budget lasts, saying so in the log; a 5xx or a dropped connection is retried with backoff, a bounded number of
 * times; a missing permission, a bad token, a refusal or any other failure (an invalid header, a bug) turns this adapter off
 * with one warning that names the fix. The deploy goes on either way.
 */
final class GitHubCall {
    static final int ATTEMPTS = 4;

    interface Call<T> {
        T run() throws IOException;
    }

    private final String fix;
    private final String without;
    private final Consumer<String> warn;
    private final Consumer<String> log;
    private final Waits waits;
    private Duration waited = Duration.ZERO;
    private boolean disabled;

    /**
     * @param fix        what to do when GitHub refuses for want of a permission ("give the workflow `permissions: ...`")
     * @param without    what the run goes on without when the calls fail ("a GitHub deployment")
     */
    GitHubCall(String fix, String without, Consumer<String> warn, Consumer<String> log, Waits waits) {
        this.fix = fix;
        this.without = without;
        this.warn = warn;
        this.log = log;
        this.waits = waits;
    }

    /** The GitHub API for Java, its rate-limit handlers replaced by ours: a limited answer comes back as a {@link GitHubRefusal}. */
    static GitHub client(String apiUrl, String token) throws IOException {
        return new GitHubBuilder().withEndpoint(apiUrl).withOAuthToken(token).withRateLimitHandler(new GitHubRateLimitHandler() {
            @Override
            public void onError(GitHubConnectorResponse r) throws IOException {
                throw new GitHubRefusal(r.statusCode(), r::header);
            }
        }).withAbuseLimitHandler(new GitHubAbuseLimitHandler() {
            @Override
            public void onError(GitHubConnectorResponse r) throws IOException {
                throw new GitHubRefusal(r.statusCode(), r::header);
            }
        }).build();
    }

    boolean disabled() {
        return disabled;
    }

    <T> T attempt(String what, Call<T> call) {
        if (disabled) {
            return null;
        }
        Duration backoff = waits.backoff();
        for (int i = 1; ; i++) {
            IOException failure;
            try {
                return call.run();
            } catch (IOException e) {
                failure = e;
            } catch (RuntimeException e) {
                failure = ioCause(e);
                if (failure == null) {
                    return giveUp("could not " + what + " on GitHub (" + e.getClass().getSimpleName() + ")");
                }
            }
            GitHubLimits.Verdict verdict;
            String answer;
            GitHubRefusal refusal = refusal(failure);
            if (refusal != null) {
                verdict = GitHubLimits.classify(refusal.status, refusal.header, waits.clock().instant());
                answer = "HTTP " + refusal.status;
            } else if (failure instanceof java.io.FileNotFoundException) {
                verdict = GitHubLimits.classify(404, x -> null, waits.clock().instant()); // the library's type for a 404
                answer = "HTTP 404";
            } else if (failure instanceof HttpException h) {
                verdict = GitHubLimits.classify(h.getResponseCode(), x -> null, waits.clock().instant());
                answer = "HTTP " + h.getResponseCode();
            } else {
                verdict = new GitHubLimits.Verdict(GitHubLimits.Kind.RETRY, null, null);
                answer = failure.getClass().getSimpleName();
            }
            switch (verdict.kind()) {
                case BAD_TOKEN:
                    return giveUp("could not " + what + " on GitHub (HTTP 401, the token is invalid): pass a valid github-token");
                case PERMISSION:
                    return giveUp("could not " + what + " on GitHub (" + answer + ", \"Resource not accessible by integration\"): " + fix);
                case REFUSED:
                    return giveUp("could not " + what + " on GitHub (" + answer + ")");
                case RATE_LIMITED:
                    Duration left = waits.budget().minus(waited);
                    if (i >= ATTEMPTS) {
                        return giveUp("could not " + what + " on GitHub: rate limited (" + answer + ", " + verdict.source() + ") after " + i
                                + " attempts");
                    }
                    if (verdict.pause().compareTo(left) > 0) {
                        return giveUp("could not " + what + " on GitHub: rate limited (" + answer + ", " + verdict.source() + "); GitHub asks"
                                + " to wait " + verdict.pause().toSeconds() + " s, more than the " + left.toSeconds() + " s left of the "
                                + waits.budget().toSeconds() + " s this run waits on GitHub");
                    }
                    log.accept("GitHub rate limit on " + what + " (" + answer + ", " + verdict.source() + "): waiting "
                            + verdict.pause().toSeconds() + " s, then retrying");
                    pause(verdict.pause());
                    break;
                default:
                    if (i >= ATTEMPTS) {
                        return giveUp("could not " + what + " on GitHub (" + answer + ") after " + i + " attempts");
                    }
                    pause(backoff);
                    backoff = backoff.multipliedBy(2);
            }
        }
    }

    /** The library's paged lists throw unchecked exceptions around the IOException of the page that failed. */
    private static IOException ioCause(RuntimeException e) {
        for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
            if (t instanceof IOException io) {
                return io;
            }
        }
        return null;
    }

    /** Ours, thrown by the handlers of {@link #client}; the library wraps it in an exception of its own. */
    private static GitHubRefusal refusal(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof GitHubRefusal r) {
                return r;
            }
        }
        return null;
    }

    private <T> T giveUp(String why) {
        disabled = true;
        warn.accept(why + ". The run goes on without " + without + ".");
        return null;
    }

    private void pause(Duration d) {
        waited = waited.plus(d);
        try {
            waits.sleeper().sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
