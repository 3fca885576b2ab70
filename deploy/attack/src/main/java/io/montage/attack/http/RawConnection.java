package io.montage.attack.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * One plain TCP connection to the api, for requests the JDK client will not send as they are: any bytes go out,
 * and responses are read one at a time, so a test can tell a second (smuggled) response or a close apart.
 */
public final class RawConnection implements AutoCloseable {

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final long openedNanos = System.nanoTime();

    public RawConnection(String host, int port) throws IOException {
        socket = new Socket();
        socket.connect(new InetSocketAddress(host, port), 5000);
        socket.setTcpNoDelay(true);
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    public void send(String text) throws IOException {
        send(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    public void send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /**
     * The next response within {@code wait}, a failed reply when none came in time, or null when the server
     * closed the connection before sending one.
     */
    public Reply next(Duration wait, boolean headRequest) {
        long start = System.nanoTime();
        try {
            socket.setSoTimeout((int) Math.max(1, wait.toMillis()));
            return ResponseReader.read(in, headRequest, start);
        } catch (SocketTimeoutException e) {
            return Reply.failed("no response within " + wait.toSeconds() + " s", elapsed(start));
        } catch (IOException e) {
            return closedByPeer(e) ? null : Reply.failed("unreadable response: " + e.getMessage(), elapsed(start));
        }
    }

    public Reply next(Duration wait) {
        return next(wait, false);
    }

    /**
     * Whether the server closes (or resets) the connection within {@code wait}, discarding whatever it sends
     * meanwhile (a 408, say).
     */
    public boolean closedWithin(Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        byte[] buffer = new byte[4096];
        try {
            while (true) {
                long left = (deadline - System.nanoTime()) / 1_000_000;
                if (left <= 0) {
                    return false;
                }
                socket.setSoTimeout((int) left);
                if (in.read(buffer) < 0) {
                    return true;
                }
            }
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset by the server
        }
    }

    /** Milliseconds since the connection was opened. */
    public long age() {
        return elapsed(openedNanos);
    }

    /** A reset before any response byte: the server refused the connection's request by closing it. */
    private static boolean closedByPeer(IOException e) {
        return e instanceof java.net.SocketException && String.valueOf(e.getMessage()).contains("reset");
    }

    private static long elapsed(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
