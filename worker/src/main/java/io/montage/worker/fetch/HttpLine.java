package io.montage.worker.fetch;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/** One line of an HTTP response head or chunk framing: up to CRLF, or a bare LF as lenient clients accept. */
final class HttpLine {

    private HttpLine() {
    }

    /**
     * The line as Latin-1 text, without its end; {@code in} should be buffered, as this reads a byte at a time.
     *
     * @throws IOException past {@code maxLength} characters, so a server cannot make a line cost unbounded memory
     */
    static String read(InputStream in, int maxLength) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b == -1) {
                throw new EOFException("the connection closed before the response was complete");
            }
            if (line.length() == maxLength) {
                throw new IOException("the response has a line longer than " + maxLength + " bytes");
            }
            line.append((char) b);
        }
        int length = line.length();
        return length > 0 && line.charAt(length - 1) == '\r' ? line.substring(0, length - 1) : line.toString();
    }
}
