package io.montage.worker.fetch;

import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A response's status and the headers Montage acts on: how the body is delimited, and where a redirect leads.
 *
 * @param contentLength empty when the body is chunked or runs to the end of the connection
 */
record ResponseHead(int status, OptionalLong contentLength, boolean chunked, Optional<String> location) {

    /** Status line and headers together; servers commonly refuse heads above 8 to 64 KiB themselves. */
    private static final int MAX_BYTES = 64 * 1024;
    private static final Pattern STATUS_LINE = Pattern.compile("HTTP/1\\.\\d (\\d{3})(?: .*)?");
    private static final Pattern FIELD_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

    static ResponseHead read(InputStream in) throws IOException {
        int left = MAX_BYTES;
        String statusLine = HttpLine.read(in, left);
        left -= statusLine.length();
        Matcher status = STATUS_LINE.matcher(statusLine);
        if (!status.matches()) {
            throw new IOException("the response does not start with an HTTP/1.x status line");
        }
        OptionalLong contentLength = OptionalLong.empty();
        String transferEncoding = null;
        String location = null;
        for (String field = HttpLine.read(in, left); !field.isEmpty(); field = HttpLine.read(in, left)) {
            left -= field.length();
            int colon = field.indexOf(':');
            if (colon < 1 || !FIELD_NAME.matcher(field.substring(0, colon)).matches()) {
                throw new IOException("the response has a malformed header line");
            }
            String value = field.substring(colon + 1).strip();
            switch (field.substring(0, colon).toLowerCase(Locale.ROOT)) {
                case "content-length" -> contentLength = contentLength(value, contentLength);
                case "transfer-encoding" -> transferEncoding = value;
                case "location" -> location = value;
                default -> {
                    // nothing else changes how Montage reads the response
                }
            }
        }
        boolean chunked = transferEncoding != null;
        if (chunked && !transferEncoding.equalsIgnoreCase("chunked")) {
            // Montage sends no TE header, so a server may use no coding but chunked
            throw new IOException("the response uses Transfer-Encoding " + transferEncoding + ", not plain chunked");
        }
        // with chunking the length header is ignored, as RFC 9112 says it must be
        return new ResponseHead(Integer.parseInt(status.group(1)), chunked ? OptionalLong.empty() : contentLength,
                chunked, Optional.ofNullable(location));
    }

    private static OptionalLong contentLength(String value, OptionalLong earlier) throws IOException {
        if (!value.matches("\\d{1,18}")) {
            throw new IOException("the response has a malformed Content-Length");
        }
        long length = Long.parseLong(value);
        if (earlier.isPresent() && earlier.getAsLong() != length) {
            throw new IOException("the response has two different Content-Lengths");
        }
        return OptionalLong.of(length);
    }
}
