package dev.switchboard.app;

import dev.switchboard.app.hub.ClientConnection;

/** Frames that reach nothing: for tests of what the gateway does around them. */
final class NoFrames implements Gateway.Frames {
    @Override
    public void onText(ClientConnection connection, String text) {}

    @Override
    public void onBinary(ClientConnection connection) {}

    @Override
    public void onTooLarge(ClientConnection connection) {}
}
