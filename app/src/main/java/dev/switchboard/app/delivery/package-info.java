/**
 * Deliveries from the pusher to this node ({@code POST /@deliveries} on the internal port): each request names
 * its targets by selector — users, topics, everyone, users left out — and carries its frame once; the node resolves
 * the selector from its hub and queues the frame on each connection's outbound. docs/delivery.md, "The node
 * contract".
 */
package dev.switchboard.app.delivery;
