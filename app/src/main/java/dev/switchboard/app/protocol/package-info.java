/**
 * The client protocol, pure: frames parsed into {@link dev.switchboard.app.protocol.Frame}s or refused with an
 * {@link dev.switchboard.app.protocol.ErrorCode}, and the {@link dev.switchboard.app.protocol.CloseCode}s. No I/O.
 */
package dev.switchboard.app.protocol;
