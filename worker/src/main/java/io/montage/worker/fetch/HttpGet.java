package io.montage.worker.fetch;

import javax.net.ssl.SSLSocketFactory;
import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * One HTTP/1.1 GET on a {@link PinnedConnection} of its own: no keep-alive and no compression asked for, so the
 * body is the image's bytes as stored, delimited by Content-Length, chunking or the end of the connection.
 */
final class HttpGet implements Closeable {

    private final Socket socket;
    private final InputStream in;
    private final ResponseHead head;

    private HttpGet(Socket socket, InputStream in, ResponseHead head) {
        this.socket = socket;
        this.in = in;
        this.head = head;
    }

    /** Sends the request and reads the response up to its body. */
    static HttpGet send(ImageUrl url, List<InetAddress> addresses, FetchConfig config, Deadline deadline,
                        SSLSocketFactory tls) throws IOException {
        Socket socket = PinnedConnection.open(url, addresses, config.connectTimeout(), deadline, tls);
        try {
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + url.requestTarget() + " HTTP/1.1\r\n"
                    + "Host: " + url.hostHeader() + "\r\n"
                    + "User-Agent: " + config.userAgent() + "\r\n"
                    + "Accept: image/*,*/*;q=0.8\r\n"
                    + "Accept-Encoding: identity\r\n"
                    + "Connection: close\r\n"
                    + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = new BufferedInputStream(new DeadlineInputStream(socket, deadline));
            ResponseHead head = ResponseHead.read(in);
            while (head.status() < 200) { // interim answers (103 Early Hints) come before the real one
                head = ResponseHead.read(in);
            }
            return new HttpGet(socket, in, head);
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    ResponseHead head() {
        return head;
    }

    /** The body with any chunking undone; read at most Content-Length bytes of it when there is one. */
    InputStream body() {
        return head.chunked() ? new ChunkedInputStream(in) : in;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
