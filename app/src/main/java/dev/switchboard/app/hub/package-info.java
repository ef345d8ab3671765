/**
 * The hub: who is connected to this node, in memory — the connections, their topics, their rate. The registry
 * knows everywhere; the hub knows here.
 */
package dev.switchboard.app.hub;
