/** The pusher's metrics: every metric name and label value, as types. Depends on nothing else of the pusher. */
package dev.switchboard.pusher.metrics;
