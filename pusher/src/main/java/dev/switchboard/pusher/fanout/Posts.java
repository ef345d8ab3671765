package dev.switchboard.pusher.fanout;

import dev.switchboard.registry.Target;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** How a fan-out's data reaches its connections: the Management API ({@link Delivery}), or a recorder in tests. */
public interface Posts {
    /** What a fan-out's posts came to. */
    record Report(int delivered, List<String> gone, int failed, Optional<String> firstFailure) {}

    /** Whether every post goes to one fixed endpoint (a real API Gateway) rather than to each connection's node. */
    boolean throughApiGateway();

    /** Posts {@code data} to every target and waits for every post to end (delivered, gone or failed). */
    Report deliver(Collection<Target> targets, String data) throws InterruptedException;
}
