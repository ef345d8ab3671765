package dev.switchboard.app.access;

/**
 * A token bucket per connection: {@code perSecond} frames a second, bursts up to {@code burst}. Counts the frames
 * refused in a row — over the rate, too large, binary — so that sustained abuse can be told from a burst; a frame
 * handled starts the count again. Thread-safe.
 */
public final class RateLimit {
    private final double perSecond;
    private final double burst;
    private double tokens;
    private long last;
    private int refusedInARow;

    public RateLimit(double perSecond, double burst) {
        this.perSecond = perSecond;
        this.burst = burst;
        this.tokens = burst;
        this.last = System.nanoTime();
    }

    /** Takes one token if there is one; a frame without one is refused and counted. */
    public synchronized boolean tryAcquire() {
        var now = System.nanoTime();
        tokens = Math.min(burst, tokens + (now - last) / 1e9 * perSecond);
        last = now;
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        refusedInARow++;
        return false;
    }

    /** A frame refused for another reason (too large, binary): counted like one over the rate. */
    public synchronized void refused() {
        refusedInARow++;
    }

    /** A frame handled: the refusals in a row start again from zero. */
    public synchronized void accepted() {
        refusedInARow = 0;
    }

    /** Frames refused since the last one handled. */
    public synchronized int refusedInARow() {
        return refusedInARow;
    }
}
