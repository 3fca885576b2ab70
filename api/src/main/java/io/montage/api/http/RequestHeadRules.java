package io.montage.api.http;

import io.micronaut.http.server.netty.configuration.NettyHttpServerConfiguration;
import io.montage.api.problems.Problem;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import jakarta.inject.Singleton;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What a request head must satisfy before the framework sees it: parseable, one valid Host, one unambiguous body
 * framing, no compressed body, no body where none belongs, and a declared length within the limit (answered before
 * the client sends a byte of the body, even when it waits with {@code Expect: 100-continue}).
 *
 * <p>Compressed request bodies are refused (415), not decompressed: the framework's decompression runs inside its
 * own handler, where a small gzip that expands past the buffer limit ended in an internal error instead of a 413,
 * and no client of this API needs it (base64 images and embeddings barely compress; OpenAI clients never compress
 * requests). Refusing keeps the cost of a body equal to its size on the wire.
 */
@Singleton
class RequestHeadRules {

    /** RFC 3986 host (an IP literal in brackets, or a name of unreserved, sub-delims and %-escapes) and port. */
    private static final Pattern HOST = Pattern.compile("(\\[[0-9A-Fa-f:.]+]|[A-Za-z0-9._~!$&'()*+,;=%-]*)(:[0-9]*)?");

    private final BodyLimits bodyLimits;
    private final int maxRequestLine;
    private final int maxHeaderBytes;

    RequestHeadRules(BodyLimits bodyLimits, NettyHttpServerConfiguration server) {
        this.bodyLimits = bodyLimits;
        this.maxRequestLine = server.getMaxInitialLineLength();
        this.maxHeaderBytes = server.getMaxHeaderSize();
    }

    Optional<Problem> check(HttpRequest head) {
        if (head.decoderResult().isFailure()) {
            return Optional.of(unparseable(head.decoderResult().cause()));
        }
        return host(head).or(() -> framing(head.headers())).or(() -> encoding(head.headers())).or(() -> body(head));
    }

    /**
     * RFC 9112 3.2: an HTTP/1.1 request carries exactly one Host (HTTP/1.0 may omit it), and its value is a host
     * with an optional port. Two Hosts are two readings of where the request goes, for a proxy and for the api.
     */
    private static Optional<Problem> host(HttpRequest head) {
        List<String> hosts = head.headers().getAll(HttpHeaderNames.HOST);
        boolean required = !head.protocolVersion().equals(HttpVersion.HTTP_1_0);
        if (hosts.size() > 1 || (hosts.isEmpty() && required)) {
            return problem(400, "invalid_host", "send exactly one Host header (the server's name, e.g. "
                    + "'Host: api.example.com'); got " + hosts.size());
        }
        if (!hosts.isEmpty() && !HOST.matcher(hosts.getFirst()).matches()) {
            return problem(400, "invalid_host", "the Host header must be a host name or IP address with an "
                    + "optional ':port', e.g. 'Host: api.example.com'");
        }
        return Optional.empty();
    }

    /** The body's length must be told one way, that every parser reads alike. */
    private static Optional<Problem> framing(HttpHeaders headers) {
        if (!headers.contains(HttpHeaderNames.TRANSFER_ENCODING)) {
            return Optional.empty();
        }
        if (SentHeaders.contentLengthSent(headers)) {
            return problem(400, "ambiguous_length",
                    "send either Content-Length or Transfer-Encoding: chunked, not both");
        }
        if (!List.of("chunked").equals(values(headers, HttpHeaderNames.TRANSFER_ENCODING))) {
            return problem(400, "unsupported_transfer_encoding",
                    "the only Transfer-Encoding accepted is 'chunked'; send the body uncompressed");
        }
        return Optional.empty();
    }

    private static Optional<Problem> encoding(HttpHeaders headers) {
        if (values(headers, HttpHeaderNames.CONTENT_ENCODING).stream().allMatch("identity"::equals)) {
            return Optional.empty();
        }
        return problem(415, "unsupported_content_encoding",
                "compressed request bodies are not accepted; send the body without Content-Encoding");
    }

    /** No body where none belongs, and none declared larger than its limit. */
    private Optional<Problem> body(HttpRequest head) {
        long declared = HttpUtil.getContentLength(head, 0L);
        boolean hasBody = declared > 0 || HttpUtil.isTransferEncodingChunked(head);
        if (hasBody && (head.method().equals(HttpMethod.GET) || head.method().equals(HttpMethod.HEAD))) {
            return problem(400, "body_not_allowed",
                    head.method() + " requests take no body; send parameters in the query string");
        }
        String contentType = head.headers().get(HttpHeaderNames.CONTENT_TYPE);
        return declared > bodyLimits.maxBytes(contentType) ? Optional.of(bodyLimits.tooLarge(contentType))
                : Optional.empty();
    }

    /** A request the decoder could not read: its request line or headers are too long, or not HTTP. */
    private Problem unparseable(Throwable cause) {
        if (cause instanceof TooLongHttpLineException) {
            return Problem.of(414, "uri_too_long", "the request line may be at most " + maxRequestLine
                    + " bytes; send long inputs in a POST body");
        }
        if (cause instanceof TooLongHttpHeaderException) {
            return Problem.of(431, "headers_too_large", "the request headers may be at most " + maxHeaderBytes
                    + " bytes in all; send fewer or shorter headers");
        }
        return Problem.of(400, "malformed_request", "the request is not valid HTTP/1.1: check the request line, "
                + "that every header is 'Name: value' and that Content-Length is a single number");
    }

    /** Every comma-separated value of the header, trimmed and in lower case. */
    private static List<String> values(HttpHeaders headers, CharSequence name) {
        return headers.getAll(name).stream()
                .flatMap(value -> Stream.of(value.split(",")))
                .map(value -> value.trim().toLowerCase(Locale.ROOT))
                .filter(value -> !value.isEmpty())
                .toList();
    }

    private static Optional<Problem> problem(int status, String code, String detail) {
        return Optional.of(Problem.of(status, code, detail));
    }
}
