/** The signaling benchmark: y-webrtc's protocol under load, our gateway beside y-webrtc's own server. */
package dev.switchboard.bench.signaling;
