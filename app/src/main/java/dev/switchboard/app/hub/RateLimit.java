package dev.switchboard.app.hub;

/**
 * A token bucket per connection: {@code perSecond} frames a second, bursts up to {@code burst}. Counts the frames
 * refused in a row, so that sustained abuse can be told from a burst. Thread-safe.
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

    /** Takes one token if there is one. */
    public synchronized boolean tryAcquire() {
        var now = System.nanoTime();
        tokens = Math.min(burst, tokens + (now - last) / 1e9 * perSecond);
        last = now;
        if (tokens >= 1) {
            tokens -= 1;
            refusedInARow = 0;
            return true;
        }
        refusedInARow++;
        return false;
    }

    /** Frames refused since the last one taken. */
    public synchronized int refusedInARow() {
        return refusedInARow;
    }
}
