package dev.switchboard.bench;

import java.net.http.WebSocket;
import java.util.concurrent.CompletionStage;

/** A JDK WebSocket listener that takes every frame as it comes (no flow control) and hands on whole text frames. */
public abstract class TextListener implements WebSocket.Listener {
    private final StringBuilder text = new StringBuilder();

    /** One whole text frame; called on the client's threads, one frame at a time per connection. */
    protected abstract void receive(String frame);

    @Override
    public void onOpen(WebSocket webSocket) {
        webSocket.request(Long.MAX_VALUE);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        text.append(data);
        if (last) {
            receive(text.toString());
            text.setLength(0);
        }
        return null;
    }
}
