package io.montage.worker.fetch;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * An http(s) URL in the form Montage agrees to fetch: no user name or password, a host that is a DNS name or an
 * IP address written the one unambiguous way, a port, and a path to ask for. Nothing here resolves the host.
 */
final class ImageUrl {

    /** Far beyond any real image URL; it bounds what goes into the request line and into messages. */
    static final int MAX_LENGTH = 8192;

    private final URI uri;
    private final String host;
    private final InetAddress literalAddress;
    private final int port;

    private ImageUrl(URI uri, String host, InetAddress literalAddress, int port) {
        this.uri = uri;
        this.host = host;
        this.literalAddress = literalAddress;
        this.port = port;
    }

    /** @throws ImageFetchException ({@link ImageFetchException#INVALID_URL}) for anything else */
    static ImageUrl parse(String text) {
        if (text == null || text.isBlank()) {
            throw ImageFetchException.invalidUrl("''", "it is empty");
        }
        return of(ascii(text), text);
    }

    /** Where a redirect's Location leads, checked as the first URL was; never from https down to http. */
    ImageUrl redirect(String location) {
        ImageUrl next = of(uri.resolve(ascii(location)), location);
        if (https() && !next.https()) {
            throw ImageFetchException.invalidUrl(this.toString(), "it redirects from https to plain http (" + next + ")");
        }
        return next;
    }

    /** Non-ASCII characters percent-encoded, as browsers send them, so the request line is ASCII; not too long. */
    private static URI ascii(String text) {
        if (text.length() > MAX_LENGTH) {
            throw ImageFetchException.invalidUrl(text.substring(0, 100) + "…", "it is longer than " + MAX_LENGTH
                    + " characters");
        }
        try {
            return new URI(new URI(text).toASCIIString());
        } catch (URISyntaxException e) {
            throw ImageFetchException.invalidUrl(text, "it is not a valid URL (" + e.getReason() + " at index "
                    + e.getIndex() + ")");
        }
    }

    private static ImageUrl of(URI uri, String text) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw ImageFetchException.invalidUrl(text, "only http and https URLs are fetched");
        }
        if (uri.getRawUserInfo() != null) {
            throw ImageFetchException.invalidUrl(uri.toString().replace(uri.getRawUserInfo() + "@", "…@"),
                    "it carries a user name or password, which Montage never sends");
        }
        if (uri.getHost() == null) {
            throw ImageFetchException.invalidUrl(text, "it has no valid host (names are letters, digits, '-' and '.';"
                    + " IPv4 addresses are written as four decimal numbers)");
        }
        String host = uri.getHost().toLowerCase(Locale.ROOT);
        InetAddress literal;
        if (host.startsWith("[")) {
            host = host.substring(1, host.length() - 1);
            literal = IpLiteral.parse(host).orElseThrow(
                    () -> ImageFetchException.invalidUrl(text, "its host is not a valid IPv6 address (zones are not accepted)"));
        } else {
            host = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
            literal = IpLiteral.parse(host).orElse(null);
            if (literal == null) {
                requireDnsName(host, text);
            }
        }
        int port = uri.getPort() == -1 ? (scheme.equals("https") ? 443 : 80) : uri.getPort();
        if (port < 1 || port > 65535) {
            throw ImageFetchException.invalidUrl(text, "its port " + port + " is not 1 to 65535");
        }
        return new ImageUrl(uri, host, literal, port);
    }

    /** A host that is not an IP literal must be a name DNS can hold, and must not read as an address either. */
    private static void requireDnsName(String host, String text) {
        // as the WHATWG URL standard decides whether a host is an IPv4 address: by its last label. 2130706433,
        // 0x7f000001, 127.1 and 0177.0.0.1 are all 127.0.0.1 to some parser or other
        String last = host.substring(host.lastIndexOf('.') + 1);
        if (last.matches("\\d+|0[xX]\\p{XDigit}*")) {
            throw ImageFetchException.invalidUrl(text, "its host " + host
                    + " reads as an IP address, but not in the plain form (four decimal numbers, no leading zeros)");
        }
        // 253 characters, 63 to a label: beyond that no lookup can succeed and TLS's server name refuses it
        if (host.length() > 253 || Arrays.stream(host.split("\\.")).anyMatch(label -> label.length() > 63)) {
            throw ImageFetchException.invalidUrl(text, "its host name is longer than DNS allows");
        }
    }

    boolean https() {
        return uri.getScheme().equalsIgnoreCase("https");
    }

    /** A DNS name, or an IP address without brackets. */
    String host() {
        return host;
    }

    /** The address itself when the host is written as one, which is then never resolved. */
    Optional<InetAddress> literalAddress() {
        return Optional.ofNullable(literalAddress);
    }

    int port() {
        return port;
    }

    /** The Host header: the host as written, bracketed if IPv6, and the port unless it is the scheme's default. */
    String hostHeader() {
        String name = host.contains(":") ? "[" + host + "]" : host;
        return port == (https() ? 443 : 80) ? name : name + ":" + port;
    }

    /** What the request line asks for: path and query, never the fragment. */
    String requestTarget() {
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        return uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
    }

    @Override
    public String toString() {
        return uri.toString();
    }
}
