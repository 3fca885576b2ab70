package io.montage.worker.fetch;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import okhttp3.Call;
import okhttp3.ConnectionPool;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ProtocolException;
import java.net.Proxy;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Downloads the image a job item names by http(s) URL, with OkHttp. The URL is a tenant's, so it is handled as an
 * attempt on the worker's own network (server-side request forgery) until shown otherwise:
 * <ul>
 * <li>the host is resolved once per connection and every address it resolves to must be public or in
 *     montage.fetch.allowed-cidrs ({@link AddressGuard}); IP literals are accepted in their plain form only;
 * <li>OkHttp's name lookup is that check ({@link CheckedDns}), so it connects to checked addresses only and
 *     never looks the name up again (rebinding); TLS still sends the name (SNI) and verifies the certificate
 *     against it;
 * <li>redirects are followed here, not by OkHttp, each hop checked as the first, and never from https to http;
 * <li>no proxy is used, not even one set in system properties: it would resolve the name itself;
 * <li>time (total-timeout, over all hops, as each hop's call timeout) and size (max-bytes, announced or counted
 *     while streaming) are capped.
 * </ul>
 * One client serves every fetch. It keeps no idle connection, as the HTTP/1.1 reader it replaced did not: each
 * socket may read only about one image's bytes ({@link CappedSocketFactory}), because OkHttp holds some response
 * lines in memory whole, however long.
 * <p>
 * What OkHttp does differently from that reader: it reads the line after a chunk's data up to its end and
 * ignores what is there, so a chunk longer than its size line says is cut to that size rather than refused
 * (nothing in OkHttp's API reaches its chunk parser). The head is bounded by OkHttp at 256 KiB, and by Montage
 * at 64 KiB once read ({@link ResponseHead}).
 * <p>
 * What remains: DNS lookups run in the system resolver, outside total-timeout (its own timeouts apply). An IPv4
 * address reached through a translator the addresses do not show (a NAT64 with an operator-chosen prefix) is
 * judged by its IPv6 address. A network in allowed-cidrs is trusted whole. The worker's egress firewall remains
 * the backstop. Thread-safe.
 */
@Singleton
public final class ImageFetcher {

    private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);
    /** Beyond max-bytes, what a connection may read: head (OkHttp stops at 256 KiB), framing and TLS records. */
    private static final long OVERHEAD_BYTES = 1 << 20;

    private final FetchConfig config;
    private final AddressGuard guard;
    private final OkHttpClient client;

    @Inject
    public ImageFetcher(FetchConfig config) {
        this(config, InetAddress::getAllByName, (SSLSocketFactory) SSLSocketFactory.getDefault());
    }

    ImageFetcher(FetchConfig config, HostResolver resolver, SSLSocketFactory tls) {
        this.config = config;
        this.guard = new AddressGuard(resolver, config.allowedNetworks());
        this.client = new OkHttpClient.Builder()
                .dns(new CheckedDns(guard))
                .proxy(Proxy.NO_PROXY)
                .followRedirects(false)
                .followSslRedirects(false)
                .connectTimeout(config.connectTimeout())
                // total-timeout bounds each hop as its call timeout; a single read or write can take no longer
                .readTimeout(config.totalTimeout())
                .writeTimeout(config.totalTimeout())
                // no idle connections: each hop connects afresh, so the socket's byte cap is one fetch's
                .connectionPool(new ConnectionPool(0, 1, TimeUnit.SECONDS))
                .socketFactory(new CappedSocketFactory(config.maxBytes() + config.maxBytes() / 8 + OVERHEAD_BYTES))
                .sslSocketFactory(tls, platformTrust())
                .build();
    }

    /**
     * OkHttp wants a trust manager beside the socket factory, but only to clean certificate chains for
     * certificate pinning, which no fetch uses: whether a server is trusted is the factory's handshake's decision.
     */
    private static X509TrustManager platformTrust() {
        try {
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init((KeyStore) null);
            return (X509TrustManager) factory.getTrustManagers()[0];
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no default trust manager", e);
        }
    }

    /** @throws ImageFetchException for every reason the image cannot be had; its code says which */
    public byte[] fetch(String url) {
        Deadline deadline = Deadline.after(config.totalTimeout());
        ImageUrl target = ImageUrl.parse(url);
        for (int redirects = 0; ; redirects++) {
            try {
                if (target.literalAddress().isPresent()) {
                    guard.addressesOf(target); // OkHttp looks up names only: CheckedDns checks those
                }
                Call call = client.newCall(request(target));
                call.timeout().timeout(deadline.remainingNanos(), TimeUnit.NANOSECONDS);
                try (Response response = call.execute()) {
                    ResponseHead head = ResponseHead.of(response);
                    if (head.status() == 200) {
                        return body(target, head, response.body().byteStream(), call);
                    }
                    if (!REDIRECTS.contains(head.status())) {
                        throw ImageFetchException.failed(target, "the server answered " + head.status(), null);
                    }
                    if (redirects == config.maxRedirects()) {
                        throw ImageFetchException.failed(target, "it redirects more than " + redirects + " times",
                                null);
                    }
                    target = target.redirect(location(target, head));
                }
            } catch (IOException e) {
                throw failure(target, e, deadline);
            }
        }
    }

    private Request request(ImageUrl url) {
        String target = url.requestTarget();
        int query = target.indexOf('?');
        HttpUrl httpUrl = new HttpUrl.Builder()
                .scheme(url.https() ? "https" : "http")
                .host(url.host())
                .port(url.port())
                .encodedPath(query < 0 ? target : target.substring(0, query))
                .encodedQuery(query < 0 ? null : target.substring(query + 1))
                .build();
        return new Request.Builder().url(httpUrl)
                .header("User-Agent", config.userAgent())
                .header("Accept", "image/*,*/*;q=0.8")
                // the image's bytes as stored; it also keeps OkHttp from asking for gzip and inflating it unbounded
                .header("Accept-Encoding", "identity")
                .build();
    }

    private static String location(ImageUrl url, ResponseHead head) {
        return head.location().orElseThrow(() -> ImageFetchException.failed(url, "the server answered "
                + head.status() + " without a Location to redirect to", null));
    }

    /** Never more than max-bytes in memory: an announced length is checked first, any other is counted. */
    private byte[] body(ImageUrl url, ResponseHead head, InputStream body, Call call) throws IOException {
        if (head.contentLength().isPresent()) {
            long announced = head.contentLength().getAsLong();
            if (announced > config.maxBytes()) {
                call.cancel(); // rather than OkHttp reading on to keep the connection
                throw ImageFetchException.tooLarge(url, announced + " bytes", config.maxBytes());
            }
            return announced(body, (int) announced);
        }
        try {
            byte[] bytes = body.readNBytes(config.maxBytes());
            if (body.read() != -1) {
                call.cancel();
                throw ImageFetchException.tooLarge(url, "more than " + config.maxBytes() + " bytes",
                        config.maxBytes());
            }
            return bytes;
        } catch (ProtocolException e) { // only the chunked framing can be malformed here
            throw new MalformedResponseException("unexpected end of stream".equals(e.getMessage())
                    ? "the connection closed inside a chunk of the response"
                    : "the response has a malformed chunk size line", e);
        }
    }

    private static byte[] announced(InputStream body, int length) throws IOException {
        byte[] bytes = new byte[length];
        int read = 0;
        try {
            for (int n; read < length && (n = body.read(bytes, read, length - read)) != -1; ) {
                read += n;
            }
        } catch (ProtocolException e) { // OkHttp's word for a connection that closed early
            throw closedEarly(read, length, e);
        }
        if (read < length) {
            throw closedEarly(read, length, null);
        }
        return bytes;
    }

    private static MalformedResponseException closedEarly(int read, int length, Throwable cause) {
        return new MalformedResponseException("the connection closed after " + read + " of the " + length
                + " bytes announced", cause);
    }

    /** OkHttp's messages name the address connected to, which the tenant must not learn: each gets Montage's. */
    private RuntimeException failure(ImageUrl url, IOException e, Deadline deadline) {
        if (e instanceof CheckedDns.Forbidden forbidden) {
            return forbidden.refusal();
        }
        return ImageFetchException.failed(url, why(e, deadline), e);
    }

    private String why(IOException e, Deadline deadline) {
        if (deadline.passed()) {
            return "it took longer than " + config.totalTimeout().toMillis() + " ms";
        }
        return switch (e) {
            case MalformedResponseException ours -> ours.getMessage();
            case UnknownHostException unknown -> "its host cannot be resolved";
            case SocketTimeoutException timeout ->
                    "connecting took longer than " + config.connectTimeout().toMillis() + " ms";
            case ConnectException refused -> "connecting failed (" + rootCause(refused).getMessage() + ")";
            // the JDK's TLS messages name its internal classes: the sender gets the gist
            case SSLException tlsFailure -> "the TLS connection failed (the server's certificate or protocol was "
                    + "not accepted)";
            case ProtocolException status when status.getMessage().startsWith("Unexpected status line") ->
                    "the response does not start with an HTTP/1.x status line";
            default -> rootCause(e) instanceof EOFException
                    ? "the connection closed before the response was complete"
                    : "the server's response could not be read as HTTP";
        };
    }

    private static Throwable rootCause(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root;
    }

}
