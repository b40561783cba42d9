package org.portcullis.http;

import java.time.Duration;

/**
 * Decides whether a project may make one more request now. Checked after authentication, since
 * the project comes from the token, and before the request does any work.
 */
public interface RateLimiter {
    /** Admits everyone (the default: {@code rate_limit_per_project = 0}). */
    RateLimiter UNLIMITED = project -> Duration.ZERO;

    /**
     * Takes one request from {@code project}'s allowance.
     *
     * @return zero when the request may proceed; otherwise how long until it would be admitted
     *     (nothing was taken)
     */
    Duration acquire(String project);

    /** Throws a Barbican-shaped 429 with Retry-After (whole seconds, at least 1) when refused. */
    static void check(RateLimiter limiter, String project, Exchange exchange) {
        Duration wait = limiter.acquire(project == null ? "" : project); // "": system-scoped callers share one bucket
        if (!wait.isZero()) {
            long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
            throw new ApiException(429, "Rate limit exceeded for project " + project + "; retry after " + seconds
                    + " second(s).").withHeader("Retry-After", Long.toString(seconds));
        }
    }
}
