package io.montage.worker.fetch;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A TCP server on 127.0.0.1 that answers every request with the same bytes, then closes: for the responses a
 * well-behaved HTTP server never sends.
 */
final class CannedServer implements AutoCloseable {

    private final ServerSocket listener;
    private final byte[] response;

    private CannedServer(byte[] response) throws IOException {
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.response = response;
        Thread.ofVirtual().start(this::answerAll);
    }

    /** {@code response} as Latin-1, so each char is one byte. */
    static CannedServer answering(String response) {
        try {
            return new CannedServer(response.getBytes(StandardCharsets.ISO_8859_1));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void answerAll() {
        while (!listener.isClosed()) {
            try (Socket connection = listener.accept()) {
                readRequestHead(connection.getInputStream());
                connection.getOutputStream().write(response);
            } catch (IOException e) {
                // closed by the test, or the client gave up: either way, on to the next
            }
        }
    }

    private static void readRequestHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        for (int b = in.read(); b != -1; b = in.read()) {
            head.write(b);
            if (head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
                return;
            }
        }
    }

    String url() {
        return "http://127.0.0.1:" + listener.getLocalPort() + "/image";
    }

    @Override
    public void close() throws IOException {
        listener.close();
    }
}
