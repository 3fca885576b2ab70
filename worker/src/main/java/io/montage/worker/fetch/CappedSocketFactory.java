package io.montage.worker.fetch;

import javax.net.SocketFactory;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Proxy;
import java.net.Socket;

/**
 * Sockets that read at most so many bytes in their life, head, framing and TLS included. OkHttp holds some lines
 * of a response in memory whole (the one after a chunk's data, a chunk's extensions) however long the server
 * makes them; this keeps what one fetch can make a worker hold near max-bytes. The sockets never use a proxy.
 */
final class CappedSocketFactory extends SocketFactory {

    private final long maxBytes;

    CappedSocketFactory(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    /** The one OkHttp calls: it connects the socket itself. */
    @Override
    public Socket createSocket() {
        return new CappedSocket(maxBytes);
    }

    // OkHttp never calls the others, which connect by themselves; they exist because SocketFactory declares them

    @Override
    public Socket createSocket(String host, int port) {
        throw connectedByOkHttp();
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) {
        throw connectedByOkHttp();
    }

    @Override
    public Socket createSocket(InetAddress host, int port) {
        throw connectedByOkHttp();
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) {
        throw connectedByOkHttp();
    }

    private static UnsupportedOperationException connectedByOkHttp() {
        return new UnsupportedOperationException("the fetcher's sockets are connected by OkHttp");
    }

    private static final class CappedSocket extends Socket {

        private final long maxBytes;
        private InputStream in;

        CappedSocket(long maxBytes) {
            super(Proxy.NO_PROXY);
            this.maxBytes = maxBytes;
        }

        @Override
        public synchronized InputStream getInputStream() throws IOException {
            if (in == null) {
                in = new CappedInputStream(super.getInputStream(), maxBytes);
            }
            return in;
        }
    }

    private static final class CappedInputStream extends FilterInputStream {

        private long left;

        CappedInputStream(InputStream in, long maxBytes) {
            super(in);
            this.left = maxBytes;
        }

        @Override
        public int read() throws IOException {
            requireLeft();
            int read = super.read();
            if (read != -1) {
                left--;
            }
            return read;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (length > 0) {
                requireLeft();
            }
            int read = super.read(buffer, offset, (int) Math.min(length, left));
            if (read > 0) {
                left -= read;
            }
            return read;
        }

        private void requireLeft() throws MalformedResponseException {
            if (left <= 0) {
                throw new MalformedResponseException("the response is too long for its image, with its head and "
                        + "framing (a header, chunk or chunk-size line far longer than any server sends)");
            }
        }
    }
}
