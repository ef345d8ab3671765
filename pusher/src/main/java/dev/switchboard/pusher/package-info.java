/**
 * The pusher: consumes notification requests from the notifications queue, resolves their targets in the registry
 * and delivers each through the API Gateway Management API of the node holding it (or one real API Gateway).
 */
package dev.switchboard.pusher;
