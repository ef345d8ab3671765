/** The fan-out benchmark: notification requests through SQS, the pusher and two gateway nodes, to real clients. */
package dev.switchboard.bench.fanout;
