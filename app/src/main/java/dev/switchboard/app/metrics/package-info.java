/**
 * The gateway's metrics: every metric name and label value, as types (frame kinds, outputs, close causes, refusals).
 * Depends on the protocol's codes only.
 */
package dev.switchboard.app.metrics;
