/** The local stack's start: from launching its process to a client's first answer, beside y-webrtc's server. */
package dev.switchboard.bench.local;
