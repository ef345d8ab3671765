package dev.switchboard.app;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;

/**
 * A WebSocket client on a bare socket, for what the JDK's client will not do: never read (so the server's writes
 * stall once the TCP window is full), never answer a ping or a close, and send frames after the server closed. Frames
 * it sends are masked, as a client's must be (RFC 6455 §5.3).
 */
final class RawClient implements AutoCloseable {
    static final int TEXT = 0x1;
    static final int BINARY = 0x2;
    static final int CLOSE = 0x8;
    static final int PING = 0x9;
    static final int PONG = 0xA;

    /** A frame the server sent. */
    @SuppressWarnings("ArrayRecordComponent") // read once by a test, never compared
    record Frame(int opcode, byte[] payload) {
        String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        /** The status of a close frame. */
        int status() {
            return ((payload[0] & 0xff) << 8) | (payload[1] & 0xff);
        }
    }

    private final Socket socket;
    private final OutputStream out;
    private final DataInputStream in;

    private RawClient(Socket socket) throws IOException {
        this.socket = socket;
        this.out = socket.getOutputStream();
        this.in = new DataInputStream(socket.getInputStream());
    }

    /**
     * Connects and completes the handshake for {@code pathAndQuery} ({@code /ws?authorization=…}).
     *
     * @param receiveBuffer the socket's receive buffer (small: a client that does not read fills it fast)
     */
    static RawClient connect(int port, String pathAndQuery, int receiveBuffer) throws IOException {
        var socket = new Socket();
        socket.setReceiveBufferSize(receiveBuffer);
        socket.connect(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5_000);
        var client = new RawClient(socket);
        var key = Base64.getEncoder().encodeToString("0123456789abcdef".getBytes(StandardCharsets.US_ASCII));
        var request = "GET " + pathAndQuery + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Key: " + key + "\r\nSec-WebSocket-Version: 13\r\n\r\n";
        client.out.write(request.getBytes(StandardCharsets.US_ASCII));
        client.out.flush();
        var status = client.readHeaders();
        if (!status.contains(" 101 ")) {
            socket.close();
            throw new IOException("handshake refused: " + status);
        }
        return client;
    }

    void sendText(String text) throws IOException {
        send(TEXT, text.getBytes(StandardCharsets.UTF_8));
    }

    void send(int opcode, byte[] payload) throws IOException {
        var frame = new ByteArrayOutputStream();
        frame.write(0x80 | opcode);
        if (payload.length < 126) {
            frame.write(0x80 | payload.length);
        } else if (payload.length < 65_536) {
            frame.write(0x80 | 126);
            frame.write(payload.length >>> 8);
            frame.write(payload.length);
        } else {
            frame.write(0x80 | 127);
            for (var shift = 56; shift >= 0; shift -= 8) {
                frame.write((int) ((long) payload.length >>> shift));
            }
        }
        var mask = new byte[] {1, 2, 3, 4};
        frame.write(mask);
        for (var i = 0; i < payload.length; i++) {
            frame.write(payload[i] ^ mask[i % 4]);
        }
        out.write(frame.toByteArray());
        out.flush();
    }

    /** The next frame the server sent within {@code timeout}; empty when none came or the socket ended. */
    Optional<Frame> read(Duration timeout) throws IOException {
        socket.setSoTimeout((int) Math.max(1, timeout.toMillis()));
        try {
            var first = in.readUnsignedByte();
            var second = in.readUnsignedByte();
            long length = second & 0x7f;
            if (length == 126) {
                length = in.readUnsignedShort();
            } else if (length == 127) {
                length = in.readLong();
            }
            var payload = new byte[(int) length];
            in.readFully(payload);
            return Optional.of(new Frame(first & 0x0f, payload));
        } catch (SocketTimeoutException | EOFException | SocketException e) {
            return Optional.empty();
        }
    }

    /** Whether the server ended the connection (end of stream, or a reset) within {@code timeout}, reading on. */
    boolean endedWithin(Duration timeout) throws IOException {
        var deadline = System.nanoTime() + timeout.toNanos();
        socket.setSoTimeout(100);
        var buffer = new byte[8192];
        while (System.nanoTime() < deadline) {
            try {
                if (in.read(buffer) < 0) {
                    return true;
                }
            } catch (SocketTimeoutException e) {
                // nothing yet: read on until the deadline
            } catch (SocketException e) {
                return true; // reset by the server
            }
        }
        return false;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    private String readHeaders() throws IOException {
        var headers = new StringBuilder();
        while (!headers.toString().endsWith("\r\n\r\n")) {
            var b = in.read();
            if (b < 0) {
                break;
            }
            headers.append((char) b);
        }
        return headers.toString();
    }
}
