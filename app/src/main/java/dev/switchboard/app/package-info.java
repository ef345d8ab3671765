/**
 * The gateway: {@link dev.switchboard.app.Main} composes the public WebSocket socket and the internal socket
 * (Management API, health, metrics). Never imports the pusher: they meet in the registry and the Management API.
 */
package dev.switchboard.app;
