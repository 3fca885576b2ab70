package io.montage.api.http;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpHeadersFactory;

/**
 * Request headers that remember whether the client sent a Content-Length. Netty's decoder quietly drops a
 * Content-Length that comes with {@code Transfer-Encoding: chunked} (RFC 9112 allows that), but a proxy in front
 * may have framed the request by the length instead: the two readings are how requests are smuggled. Netty offers
 * no other way to see what was sent, so the gate can only refuse such requests with this record of it.
 */
final class SentHeaders extends DefaultHttpHeaders {

    private boolean contentLengthSent;

    private SentHeaders(DefaultHttpHeadersFactory validation) {
        super(validation.getNameValidator(), validation.getValueValidator());
    }

    /** Makes these headers for every decoded request, validating names and values as the server is configured to. */
    static HttpHeadersFactory factory(boolean validate) {
        DefaultHttpHeadersFactory validation = DefaultHttpHeadersFactory.headersFactory().withValidation(validate);
        return new HttpHeadersFactory() {
            @Override
            public HttpHeaders newHeaders() {
                return new SentHeaders(validation);
            }

            @Override
            public HttpHeaders newEmptyHeaders() {
                return new SentHeaders(validation);
            }
        };
    }

    /** True if the client sent a Content-Length header, even one the decoder has since removed. */
    static boolean contentLengthSent(HttpHeaders headers) {
        return headers instanceof SentHeaders sent ? sent.contentLengthSent
                : headers.contains(HttpHeaderNames.CONTENT_LENGTH);
    }

    @Override
    public HttpHeaders add(String name, Object value) {
        note(name);
        return super.add(name, value);
    }

    @Override
    public HttpHeaders add(CharSequence name, Object value) {
        note(name);
        return super.add(name, value);
    }

    private void note(CharSequence name) {
        contentLengthSent |= HttpHeaderNames.CONTENT_LENGTH.contentEqualsIgnoreCase(name);
    }
}
