/**
 * The WebSocket transport: the handshake (token → 401 or upgrade) and one listener per connection that hands
 * frames to a {@link dev.switchboard.app.ws.SessionHandler} (the gateway). Nothing a client sends can throw out of it.
 */
package dev.switchboard.app.ws;
