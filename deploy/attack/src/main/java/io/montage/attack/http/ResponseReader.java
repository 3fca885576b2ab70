package io.montage.attack.http;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads HTTP/1.1 responses off a socket's stream: status line, headers, and a body framed by Content-Length, by
 * chunked encoding or by the end of the connection. Written by hand because the framing attacks need to see
 * exactly what came back on one connection (a second, smuggled response; a close), which no client library shows.
 */
final class ResponseReader {

    private static final int MAX_HEAD = 64 * 1024;
    private static final int MAX_BODY = 32 * 1024 * 1024;

    private ResponseReader() {
    }

    /** The next response, or null when the connection ended before its first byte. */
    static Reply read(InputStream in, boolean headRequest, long startNanos) throws IOException {
        String statusLine = line(in);
        if (statusLine == null) {
            return null;
        }
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
            throw new IOException("not an HTTP response: " + statusLine);
        }
        int status = Integer.parseInt(parts[1]);
        Map<String, List<String>> headers = new LinkedHashMap<>();
        String line;
        int headBytes = statusLine.length();
        while ((line = line(in)) != null && !line.isEmpty()) {
            headBytes += line.length();
            if (headBytes > MAX_HEAD) {
                throw new IOException("response head over " + MAX_HEAD + " bytes");
            }
            int colon = line.indexOf(':');
            if (colon > 0) {
                headers.computeIfAbsent(line.substring(0, colon).trim(), k -> new ArrayList<>())
                        .add(line.substring(colon + 1).trim());
            }
        }
        byte[] body = body(in, status, headers, headRequest);
        return new Reply(status, headers, body, (System.nanoTime() - startNanos) / 1_000_000, null, false);
    }

    private static byte[] body(InputStream in, int status, Map<String, List<String>> headers, boolean head)
            throws IOException {
        if (head || status < 200 || status == 204 || status == 304) {
            return new byte[0];
        }
        String encoding = first(headers, "transfer-encoding");
        if (encoding != null && encoding.toLowerCase(Locale.ROOT).contains("chunked")) {
            return chunked(in);
        }
        String length = first(headers, "content-length");
        if (length != null) {
            int n = Integer.parseInt(length.trim());
            if (n > MAX_BODY) {
                throw new IOException("response body over " + MAX_BODY + " bytes");
            }
            return in.readNBytes(n);
        }
        return untilClose(in);
    }

    private static byte[] chunked(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while (true) {
            String sizeLine = line(in);
            if (sizeLine == null) {
                throw new EOFException("connection ended inside a chunked body");
            }
            int size = Integer.parseInt(sizeLine.split(";", 2)[0].trim(), 16);
            if (size == 0) {
                String trailer;
                while ((trailer = line(in)) != null && !trailer.isEmpty()) {
                    // trailers are ignored
                }
                return out.toByteArray();
            }
            if (out.size() + size > MAX_BODY) {
                throw new IOException("response body over " + MAX_BODY + " bytes");
            }
            out.write(in.readNBytes(size));
            line(in);
        }
    }

    private static byte[] untilClose(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        int n;
        while ((n = in.read(buffer)) > 0) {
            if (out.size() + n > MAX_BODY) {
                throw new IOException("response body over " + MAX_BODY + " bytes");
            }
            out.write(buffer, 0, n);
        }
        return out.toByteArray();
    }

    /** One CRLF- (or LF-) terminated line; null when the stream ends before its first byte. */
    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1) {
            if (b == '\n') {
                byte[] bytes = out.toByteArray();
                int end = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, end, StandardCharsets.ISO_8859_1);
            }
            out.write(b);
            if (out.size() > MAX_HEAD) {
                throw new IOException("response line over " + MAX_HEAD + " bytes");
            }
        }
        if (out.size() == 0) {
            return null;
        }
        throw new EOFException("connection ended inside a line");
    }

    private static String first(Map<String, List<String>> headers, String name) {
        return headers.entrySet().stream().filter(e -> e.getKey().toLowerCase(Locale.ROOT).equals(name))
                .flatMap(e -> e.getValue().stream()).findFirst().orElse(null);
    }
}
