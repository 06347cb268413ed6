package dev.litellmdeploy.cli.github;

import java.time.Duration;
import java.time.Instant;
import java.util.function.Function;

/**
 * GitHub's answer classified the way its REST documentation says (rate limits for the REST API): a 429, or a 403 with
 * {@code retry-after} or {@code x-ratelimit-remaining: 0}, is a rate limit, not a missing permission; the wait is
 * {@code retry-after} seconds, else until {@code x-ratelimit-reset} (epoch seconds), else at least a minute. Pure: headers
 * come through a lookup, the time is given.
 */
public final class GitHubLimits {
    /** GitHub: without retry-after or a reset time, wait at least one minute before retrying. */
    static final Duration DEFAULT_WAIT = Duration.ofMinutes(1);

    /** What to do after an answer that was not a success. */
    public enum Kind {
        /** 401: the token is not valid. */
        BAD_TOKEN,
        /** 403/404 without a rate-limit sign: the token lacks the permission. */
        PERMISSION,
        /** 429, or a 403 with retry-after / x-ratelimit-remaining: 0: wait {@link Verdict#pause} and retry. */
        RATE_LIMITED,
        /** 5xx or no answer: retry with backoff. */
        RETRY,
        /** Any other refusal (422...): give up. */
        REFUSED
    }

    /** The kind, the wait GitHub asked for (null when it asked none) and which header said so. */
    public record Verdict(Kind kind, Duration pause, String source) {
    }

    private GitHubLimits() {
    }

    public static Verdict classify(int status, Function<String, String> header, Instant now) {
        String retryAfter = header.apply("retry-after");
        String remaining = header.apply("x-ratelimit-remaining");
        boolean limited = status == 429 || (status == 403 && (retryAfter != null || "0".equals(strip(remaining))));
        if (limited) {
            Long seconds = number(retryAfter);
            if (seconds != null) {
                return new Verdict(Kind.RATE_LIMITED, Duration.ofSeconds(Math.max(0, seconds)), "retry-after");
            }
            Long reset = number(header.apply("x-ratelimit-reset"));
            if ("0".equals(strip(remaining)) && reset != null) {
                Duration until = Duration.between(now, Instant.ofEpochSecond(reset));
                return new Verdict(Kind.RATE_LIMITED, until.isNegative() ? Duration.ZERO : until.plusSeconds(1), "x-ratelimit-reset");
            }
            return new Verdict(Kind.RATE_LIMITED, DEFAULT_WAIT, "no retry-after: at least a minute");
        }
        if (status == 401) {
            return new Verdict(Kind.BAD_TOKEN, null, null);
        }
        if (status == 403 || status == 404) {
            return new Verdict(Kind.PERMISSION, null, null);
        }
        if (status >= 500 || status <= 0) {
            return new Verdict(Kind.RETRY, null, null);
        }
        return new Verdict(Kind.REFUSED, null, null);
    }

    private static String strip(String s) {
        return s == null ? null : s.strip();
    }

    private static Long number(String s) {
        try {
            return s == null ? null : Long.parseLong(s.strip());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
