package io.montage.attack.http;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * One HTTP request as a probe sends it. {@code target} is the request target exactly as it goes on the wire
 * (path and query, percent-encoding included). {@code raw} sends it over a plain socket instead of the JDK client,
 * for what that client refuses to send (invalid percent-encoding, restricted headers such as Expect).
 */
public record Request(String method, String target, List<Header> headers, byte[] body, boolean raw) {

    public Request {
        headers = List.copyOf(headers);
    }

    /** Method, target, headers and body as text, to tell whether a reply only echoes what was sent. */
    public String asText() {
        StringBuilder out = new StringBuilder(method).append(' ').append(target).append('\n');
        headers.forEach(h -> out.append(h.name()).append(": ").append(h.value()).append('\n'));
        if (body != null) {
            out.append(new String(body, StandardCharsets.UTF_8));
        }
        return out.toString();
    }
}
