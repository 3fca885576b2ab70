package io.montage.worker.fetch;

import okhttp3.Headers;
import okhttp3.Response;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Pattern;

/**
 * A response's status and the headers Montage acts on: how the body is delimited, and where a redirect leads.
 * OkHttp parses the head leniently (it accepts a line without a colon, a header name with spaces, an unreadable
 * or a second, different Content-Length, any Transfer-Encoding); a head that could be read two ways is refused
 * here, so that what Montage reads is what the server meant.
 *
 * @param contentLength empty when the body is chunked or runs to the end of the connection
 */
record ResponseHead(int status, OptionalLong contentLength, boolean chunked, Optional<String> location) {

    /** Status line and headers together; servers commonly refuse heads above 8 to 64 KiB themselves. */
    private static final int MAX_BYTES = 64 * 1024;
    private static final Pattern FIELD_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
    private static final Pattern LENGTH = Pattern.compile("\\d{1,18}");

    /** @throws MalformedResponseException for a head that is too large or ambiguous */
    static ResponseHead of(Response response) throws MalformedResponseException {
        Headers headers = response.headers();
        long size = response.message().length() + "HTTP/1.1 200 \r\n\r\n".length();
        for (int i = 0; i < headers.size(); i++) {
            if (!FIELD_NAME.matcher(headers.name(i)).matches()) {
                throw new MalformedResponseException("the response has a malformed header line");
            }
            size += headers.name(i).length() + headers.value(i).length() + ": \r\n".length();
        }
        if (size > MAX_BYTES) {
            throw new MalformedResponseException("the response head is over " + MAX_BYTES
                    + " bytes (a header line longer than that, or many lines together)");
        }
        List<String> transferEncodings = headers.values("Transfer-Encoding");
        boolean chunked = !transferEncodings.isEmpty();
        if (chunked && !(transferEncodings.size() == 1 && transferEncodings.getFirst().equalsIgnoreCase("chunked"))) {
            // Montage sends no TE header, so a server may use no coding but chunked
            throw new MalformedResponseException("the response uses Transfer-Encoding "
                    + String.join(", ", transferEncodings) + ", not plain chunked");
        }
        // with chunking the length header is ignored, as RFC 9112 says it must be (and as OkHttp does)
        OptionalLong contentLength = chunked ? OptionalLong.empty() : contentLength(headers.values("Content-Length"));
        return new ResponseHead(response.code(), contentLength, chunked,
                Optional.ofNullable(response.header("Location")));
    }

    private static OptionalLong contentLength(List<String> values) throws MalformedResponseException {
        OptionalLong length = OptionalLong.empty();
        for (String value : values) {
            if (!LENGTH.matcher(value).matches()) {
                throw new MalformedResponseException("the response has a malformed Content-Length");
            }
            long parsed = Long.parseLong(value);
            if (length.isPresent() && length.getAsLong() != parsed) {
                throw new MalformedResponseException("the response has two different Content-Lengths");
            }
            length = OptionalLong.of(parsed);
        }
        return length;
    }
}
