package io.montage.worker.fetch;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.Socket;
import java.time.Duration;
import java.util.List;

/**
 * Connections to the addresses {@link AddressGuard} checked, never to the host name: looking the name up again
 * could give another answer (DNS rebinding). For https, TLS still runs for the name: SNI carries it and the
 * certificate must match it, exactly as if the name had been connected to.
 */
final class PinnedConnection {

    private PinnedConnection() {
    }

    /** A socket to the first address that answers, in the order DNS gave them, as clients do; TLS on it for https. */
    static Socket open(ImageUrl url, List<InetAddress> addresses, Duration connectTimeout, Deadline deadline,
                       SSLSocketFactory tls) throws IOException {
        Socket socket = connect(addresses, url.port(), connectTimeout, deadline);
        try {
            return url.https() ? tls(socket, url, deadline, tls) : socket;
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    private static Socket connect(List<InetAddress> addresses, int port, Duration connectTimeout, Deadline deadline)
            throws IOException {
        IOException failure = null;
        for (InetAddress address : addresses) {
            // no proxy, not even one from system properties: a proxy would look the name up itself
            Socket socket = new Socket(Proxy.NO_PROXY);
            try {
                socket.connect(new InetSocketAddress(address, port), deadline.remainingMillis(connectTimeout));
                return socket;
            } catch (IOException e) {
                socket.close();
                if (failure != null) {
                    e.addSuppressed(failure);
                }
                failure = e;
            }
        }
        throw failure;
    }

    private static SSLSocket tls(Socket connected, ImageUrl url, Deadline deadline, SSLSocketFactory factory)
            throws IOException {
        SSLSocket socket = (SSLSocket) factory.createSocket(connected, url.host(), url.port(), true);
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS"); // the certificate must be for the URL's host
        if (url.literalAddress().isEmpty()) {
            parameters.setServerNames(List.of(new SNIHostName(url.host())));
        }
        socket.setSSLParameters(parameters);
        socket.setSoTimeout(deadline.remainingMillis());
        socket.startHandshake();
        return socket;
    }
}
