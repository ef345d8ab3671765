/**
 * Outputs to the backends: a client's {@code send} to the messages SQS queue, its {@code publish} to the messages
 * SNS topic, and presence events to the configured target.
 */
package dev.switchboard.app.outputs;
