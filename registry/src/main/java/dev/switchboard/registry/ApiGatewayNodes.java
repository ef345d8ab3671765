package dev.switchboard.registry;

import java.util.List;
import java.util.stream.IntStream;

/**
 * Where the connections of a real API Gateway WebSocket API are recorded: no node of ours holds them, so their
 * records go under {@value #SHARDS} fixed partitions ({@code node#apigw-0} … {@code node#apigw-7}), each connection
 * in the one its id hashes to. A broadcast reads those partitions ({@link Connections#everyoneOn}) — a Query each,
 * never a Scan — and no partition takes more than an eighth of the connects (DynamoDB allows 1,000 writes a second
 * per partition key). These pseudo-nodes have no node record, so no lease, sweep or per-node delivery ever
 * considers them. The number is fixed, not a setting: the handlers that write and the pusher that reads must agree.
 */
public final class ApiGatewayNodes {
    /** The partitions API Gateway connections are spread over. */
    public static final int SHARDS = 8;

    private static final String PREFIX = "apigw-";
    private static final List<String> ALL =
            IntStream.range(0, SHARDS).mapToObj(i -> PREFIX + i).toList();

    private ApiGatewayNodes() {}

    /** The pseudo-node a connection of API Gateway is recorded under. */
    public static String nodeOf(String connectionId) {
        return PREFIX + Math.floorMod(connectionId.hashCode(), SHARDS);
    }

    /** Every pseudo-node, for a broadcast. */
    public static List<String> all() {
        return ALL;
    }
}
