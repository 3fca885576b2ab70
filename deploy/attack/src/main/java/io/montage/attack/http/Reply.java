package io.montage.attack.http;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What came back for one request: the status and body, or why nothing usable came ({@code failure}: no answer
 * within the deadline, connection refused…). {@code status} is 0 when no response was read.
 *
 * @param closed the server closed the connection after answering (raw-socket requests only)
 */
public record Reply(int status, Map<String, List<String>> headers, byte[] body, long millis, String failure,
                    boolean closed) {

    public static Reply failed(String failure, long millis) {
        return new Reply(0, Map.of(), new byte[0], millis, failure, false);
    }

    /** The server closed the connection without answering. */
    public static Reply closedWithoutAnswer(long millis) {
        return new Reply(0, Map.of(), new byte[0], millis, null, true);
    }

    public boolean answered() {
        return failure == null && status > 0;
    }

    /** The status, or why there is none: for reports. */
    public String statusOrFailure() {
        if (answered()) {
            return String.valueOf(status);
        }
        return failure != null ? failure : "the connection closed without an answer";
    }

    public String text() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /** The first value of a header, looked up case-insensitively. */
    public Optional<String> header(String name) {
        return headers.entrySet().stream()
                .filter(e -> e.getKey() != null && e.getKey().toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT)))
                .flatMap(e -> e.getValue().stream()).findFirst();
    }

    /** The media type without parameters, lower case; empty when there is none. */
    public String mediaType() {
        return header("Content-Type").map(t -> t.split(";", 2)[0].trim().toLowerCase(Locale.ROOT)).orElse("");
    }

    /** The first {@code max} characters of the body, on one line, for reports. */
    public String excerpt(int max) {
        String text = text().replaceAll("\\s+", " ");
        return text.length() <= max ? text : text.substring(0, max) + "…";
    }
}
