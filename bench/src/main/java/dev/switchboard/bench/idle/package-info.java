/** The idle-connection benchmark: process memory per held WebSocket connection, ours beside y-webrtc's server. */
package dev.switchboard.bench.idle;
