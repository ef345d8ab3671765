/**
 * The WebSocket transport: the handshake (token → 401 or upgrade) and one listener per connection that hands
 * frames to the {@link dev.switchboard.app.Gateway}. Nothing a client sends can throw out of it.
 */
package dev.switchboard.app.ws;
