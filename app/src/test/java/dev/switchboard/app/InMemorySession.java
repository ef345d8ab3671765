package dev.switchboard.app;

import io.helidon.common.buffers.BufferData;
import io.helidon.common.socket.SocketContext;
import io.helidon.websocket.WsSession;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A WebSocket session in memory, the transport of unit tests (as Centrifuge tests its hub): what the connection's
 * writer sends and the close codes it sends are recorded, in order; nothing blocks.
 */
final class InMemorySession implements WsSession {
    final List<String> texts = new CopyOnWriteArrayList<>();
    final List<Integer> closes = new CopyOnWriteArrayList<>();
    final List<String> pings = new CopyOnWriteArrayList<>();
    volatile boolean terminated;

    @Override
    public WsSession send(String text, boolean last) {
        texts.add(text);
        return this;
    }

    @Override
    public WsSession send(BufferData bufferData, boolean last) {
        throw new UnsupportedOperationException("the gateway sends text frames only");
    }

    @Override
    public WsSession ping(BufferData bufferData) {
        pings.add("ping");
        return this;
    }

    @Override
    public WsSession pong(BufferData bufferData) {
        return this;
    }

    @Override
    public WsSession close(int code, String reason) {
        closes.add(code);
        return this;
    }

    @Override
    public WsSession terminate() {
        terminated = true;
        return this;
    }

    @Override
    public SocketContext socketContext() {
        throw new UnsupportedOperationException("no socket in memory");
    }
}
