package io.montage.worker.fetch;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocketFactory;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.Objects;
import java.util.Set;

/**
 * Downloads the image a job item names by http(s) URL. The URL is a tenant's, so it is handled as an attempt on
 * the worker's own network (server-side request forgery) until shown otherwise:
 * <ul>
 * <li>the host is resolved once per request and every address it resolves to must be public or in
 *     montage.fetch.allowed-cidrs ({@link AddressGuard}); IP literals are accepted in their plain form only;
 * <li>the connection goes to an address that was checked, never to the name again ({@link PinnedConnection}),
 *     so no second DNS answer can move it (rebinding); TLS still verifies the certificate against the name;
 * <li>redirects are followed here, each hop checked as the first, and never from https to http;
 * <li>no proxy is used, not even one set in system properties: it would resolve the name itself;
 * <li>time (total-timeout, over all hops) and size (max-bytes, announced or streamed) are capped.
 * </ul>
 * Why not java.net.http.HttpClient or HttpURLConnection: neither can be told which address to connect to; both
 * resolve the name again. Putting the checked IP in the URL instead needs the Host header, which both restrict
 * (lifting that is a JVM-wide switch), and loses SNI and certificate checking for https. One GET over a socket
 * we connect ourselves is the simplest design that is safe, and all an image needs: HTTP/1.1, one request per
 * connection, no compression.
 * <p>
 * What remains: DNS lookups run in the system resolver, outside total-timeout (its own timeouts apply). An IPv4
 * address reached through a translator the addresses do not show (a NAT64 with an operator-chosen prefix) is
 * judged by its IPv6 address. A network in allowed-cidrs is trusted whole. The worker's egress firewall remains
 * the backstop. Thread-safe.
 */
@Singleton
public final class ImageFetcher {

    private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);

    private final FetchConfig config;
    private final AddressGuard guard;
    private final SSLSocketFactory tls;

    @Inject
    public ImageFetcher(FetchConfig config) {
        this(config, InetAddress::getAllByName, (SSLSocketFactory) SSLSocketFactory.getDefault());
    }

    ImageFetcher(FetchConfig config, HostResolver resolver, SSLSocketFactory tls) {
        this.config = config;
        this.guard = new AddressGuard(resolver, config.allowedNetworks());
        this.tls = tls;
    }

    /** @throws ImageFetchException for every reason the image cannot be had; its code says which */
    public byte[] fetch(String url) {
        Deadline deadline = Deadline.after(config.totalTimeout());
        ImageUrl target = ImageUrl.parse(url);
        for (int redirects = 0; ; redirects++) {
            try (HttpGet get = HttpGet.send(target, guard.addressesOf(target), config, deadline, tls)) {
                int status = get.head().status();
                if (status == 200) {
                    return body(target, get);
                }
                if (!REDIRECTS.contains(status)) {
                    throw ImageFetchException.failed(target, "the server answered " + status, null);
                }
                if (redirects == config.maxRedirects()) {
                    throw ImageFetchException.failed(target, "it redirects more than " + redirects + " times", null);
                }
                target = target.redirect(location(target, get.head()));
            } catch (IOException e) {
                throw ImageFetchException.failed(target, why(e, deadline), e);
            }
        }
    }

    private static String location(ImageUrl url, ResponseHead head) {
        return head.location().orElseThrow(() -> ImageFetchException.failed(url, "the server answered "
                + head.status() + " without a Location to redirect to", null));
    }

    private byte[] body(ImageUrl url, HttpGet get) throws IOException {
        InputStream body = get.body();
        if (get.head().contentLength().isPresent()) {
            long announced = get.head().contentLength().getAsLong();
            if (announced > config.maxBytes()) {
                throw ImageFetchException.tooLarge(url, announced + " bytes", config.maxBytes());
            }
            byte[] bytes = body.readNBytes((int) announced);
            if (bytes.length < announced) {
                throw new EOFException("the connection closed after " + bytes.length + " of the " + announced
                        + " bytes announced");
            }
            return bytes;
        }
        byte[] bytes = body.readNBytes(config.maxBytes());
        if (body.read() != -1) {
            throw ImageFetchException.tooLarge(url, "more than " + config.maxBytes() + " bytes", config.maxBytes());
        }
        return bytes;
    }

    private String why(IOException e, Deadline deadline) {
        return switch (e) {
            case UnknownHostException unknown -> "its host cannot be resolved";
            case SocketTimeoutException timeout when deadline.passed() ->
                    "it took longer than " + config.totalTimeout().toMillis() + " ms";
            case SocketTimeoutException timeout ->
                    "connecting took longer than " + config.connectTimeout().toMillis() + " ms";
            case ConnectException refused -> "connecting failed (" + refused.getMessage() + ")";
            // the JDK's TLS messages name its internal classes: the sender gets the gist
            case SSLException tlsFailure -> "the TLS connection failed (the server's certificate or protocol was "
                    + "not accepted)";
            default -> Objects.requireNonNullElse(e.getMessage(), "the connection failed");
        };
    }
}
