package dev.litellmdeploy.cli.github;

import java.time.Clock;
import java.time.Duration;

/**
 * How the GitHub adapters wait: the clock {@code x-ratelimit-reset} is read against, the sleeper, the first backoff after a
 * 5xx (doubled each time), and the budget: the most one run spends waiting on GitHub in all. Tests pass a recording sleeper.
 */
public record Waits(Clock clock, Sleeper sleeper, Duration backoff, Duration budget) {
    /** The budget a real run has: GitHub asks for at least a minute after a secondary rate limit. */
    public static final Duration BUDGET = Duration.ofMinutes(2);

    /** Pauses the calling thread (tests record instead). */
    public interface Sleeper {
        void sleep(Duration d) throws InterruptedException;
    }

    public static Waits real(Duration backoff) {
        return new Waits(Clock.systemUTC(), d -> Thread.sleep(d.toMillis()), backoff, BUDGET);
    }
}
