package io.montage.api.http;

import io.montage.api.ApiServer;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A bare socket to the api, for what well-behaved HTTP clients refuse to send: conflicting framing headers,
 * oversized heads, stalled bodies, pipelined requests. Reads responses exactly as they come off the wire.
 */
public final class RawHttp implements AutoCloseable {

    /** One response as read off the socket; headers keyed in lower case. */
    public record Response(int status, Map<String, String> headers, String body) {
        public ApiServer.Response asApiResponse() {
            return new ApiServer.Response(status, headers.getOrDefault("content-type", ""), body);
        }
    }

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    /** A connection to the shared test server. */
    RawHttp() {
        this(ApiServer.get().getPort());
    }

    public RawHttp(int port) {
        try {
            socket = new Socket("127.0.0.1", port);
            socket.setSoTimeout(30_000);
            in = new BufferedInputStream(socket.getInputStream());
            out = socket.getOutputStream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A request head: the request line, Host, the key (if any) as a bearer token, the headers and the blank line. */
    public static String head(String requestLine, String key, String... headers) {
        StringBuilder head = new StringBuilder(requestLine).append(" HTTP/1.1\r\nHost: api\r\n");
        if (key != null) {
            head.append("Authorization: Bearer ").append(key).append("\r\n");
        }
        for (String header : headers) {
            head.append(header).append("\r\n");
        }
        return head.append("\r\n").toString();
    }

    /** Sends the text as it is (lines must carry their own CRLF). */
    public RawHttp send(String text) {
        return send(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    RawHttp send(byte[] bytes) {
        if (!trySend(bytes)) {
            throw new AssertionError("the server closed the connection before the request was sent");
        }
        return this;
    }

    /** Sends, and tells whether the server still took the bytes (false once it has closed the connection). */
    boolean trySend(byte[] bytes) {
        try {
            out.write(bytes);
            out.flush();
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** True if the server has sent something (or closed) that has not been read yet. */
    boolean answered() {
        try {
            return in.available() > 0;
        } catch (IOException e) {
            return true;
        }
    }

    /** The next response; fails if the connection ends or stays silent first. */
    public Response read() {
        try {
            String statusLine = line();
            if (statusLine == null) {
                throw new AssertionError("the server closed the connection without a response");
            }
            int status = Integer.parseInt(statusLine.split(" ")[1]);
            Map<String, String> headers = new LinkedHashMap<>();
            for (String header = line(); header != null && !header.isEmpty(); header = line()) {
                int colon = header.indexOf(':');
                headers.put(header.substring(0, colon).trim().toLowerCase(Locale.ROOT),
                        header.substring(colon + 1).trim());
            }
            byte[] body;
            if (status == 100 || status == 204 || status == 304) {
                body = new byte[0];
            } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
                body = chunked();
            } else if (headers.containsKey("content-length")) {
                body = in.readNBytes(Integer.parseInt(headers.get("content-length")));
            } else {
                body = in.readAllBytes();
            }
            return new Response(status, headers, new String(body, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * True once the server has closed the connection (end of stream or reset), false if more data is waiting.
     * Waits up to the read timeout for either.
     */
    public boolean closedByServer() {
        try {
            in.mark(1);
            int next = in.read();
            if (next < 0) {
                return true;
            }
            in.reset();
            return false;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // connection reset
        }
    }

    private byte[] chunked() throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String sizeLine = line();
            int size = Integer.parseInt(sizeLine.split(";")[0].trim(), 16);
            if (size == 0) {
                for (String trailer = line(); trailer != null && !trailer.isEmpty(); trailer = line()) {
                    // trailers are not used by the api
                }
                return body.toByteArray();
            }
            body.write(in.readNBytes(size));
            line();
        }
    }

    private String line() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                int length = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, length, StandardCharsets.ISO_8859_1);
            }
            line.write(b);
        }
        return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
    }

    /** Ends the connection with a reset, as the kernel does for a killed client with unread data: no orderly FIN. */
    public void reset() {
        try {
            socket.setSoLinger(true, 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        close();
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
