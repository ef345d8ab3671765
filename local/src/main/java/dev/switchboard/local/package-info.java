/**
 * The one-command local stack: starts the emulators on fixed ports, creates the table, queues and topics, prints
 * every endpoint with a dev token, and writes them to {@code .local-stack.env}. Depends on everything; nothing
 * depends on it.
 */
package dev.switchboard.local;
