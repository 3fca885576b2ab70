package io.montage.attack.probe;

import com.fasterxml.jackson.databind.JsonNode;
import io.montage.attack.http.Reply;
import io.montage.attack.inputs.Json;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The verdict on one reply. Every reply: an answer within the deadline, never a 5xx, never internals, never an
 * API key echoed back; every 4xx is problem JSON ({@code application/problem+json} with {@code type},
 * {@code title}, {@code status} equal to the HTTP status, {@code detail} and a snake_case {@code code}); a JSON 2xx
 * body parses. Then the probe's own expectation.
 */
public final class ReplyChecks {

    private static final Pattern CODE = Pattern.compile("^[a-z][a-z0-9_]*$");

    private ReplyChecks() {
    }

    /** Every way the reply breaks the rules or the expectation; empty when it passes. */
    public static List<String> check(Probe probe, Reply reply, Collection<String> secrets) {
        List<String> failures = new ArrayList<>();
        if (!reply.answered()) {
            if (!(reply.closed() && probe.expect().closeAllowed())) {
                failures.add(reply.failure() == null ? "closed without a response" : reply.failure());
            }
            return failures;
        }
        int status = reply.status();
        String body = reply.text();
        if (status >= 500) {
            failures.add("5xx");
        }
        if (status >= 400 && status < 500) {
            problemJson(reply).ifPresent(failures::add);
        }
        if (status >= 200 && status < 300 && reply.mediaType().equals("application/json") && Json.parse(body).isEmpty()) {
            failures.add("2xx body is not valid JSON");
        }
        if (!libraryAsset(reply)) {
            Internals.find(body, probe.request().asText()).ifPresent(marker -> failures.add("internals in the body: '" + marker + "'"));
        }
        for (String secret : secrets) {
            if (secret != null && !secret.isEmpty() && body.contains(secret)) {
                failures.add("an API key is echoed in the body");
            }
        }
        expectation(probe.expect(), reply).ifPresent(failures::add);
        for (Rule rule : probe.expect().rules()) {
            boolean holds;
            try {
                holds = rule.holds().test(reply);
            } catch (RuntimeException e) {
                holds = false;
            }
            if (!holds) {
                failures.add("not true: " + rule.name());
            }
        }
        if (probe.expect().within() != null && reply.millis() > probe.expect().within().toMillis()) {
            failures.add("took " + reply.millis() + " ms, more than " + probe.expect().within().toMillis() + " ms");
        }
        return failures;
    }

    /** What is wrong with a 4xx body as problem JSON, if anything. */
    static Optional<String> problemJson(Reply reply) {
        if (!reply.mediaType().equals("application/problem+json")) {
            return Optional.of("4xx Content-Type is '" + reply.mediaType() + "', not application/problem+json");
        }
        Optional<JsonNode> parsed = Json.parse(reply.text());
        if (parsed.isEmpty() || !parsed.get().isObject()) {
            return Optional.of("4xx body is not a JSON object");
        }
        JsonNode problem = parsed.get();
        List<String> missing = new ArrayList<>();
        for (String field : List.of("type", "title", "detail", "code")) {
            JsonNode value = problem.get(field);
            if (value == null || !value.isTextual() || value.asText().isBlank()) {
                missing.add(field);
            }
        }
        if (!missing.isEmpty()) {
            return Optional.of("problem JSON lacks " + String.join(", ", missing));
        }
        if (problem.get("status") == null || !problem.get("status").isInt() || problem.get("status").asInt() != reply.status()) {
            return Optional.of("problem JSON status is " + problem.get("status") + ", the HTTP status " + reply.status());
        }
        if (!CODE.matcher(problem.get("code").asText()).matches()) {
            return Optional.of("problem code '" + problem.get("code").asText() + "' is not snake_case");
        }
        return Optional.empty();
    }

    private static Optional<String> expectation(Expect expect, Reply reply) {
        int status = reply.status();
        boolean success = status >= 200 && status < 300;
        boolean refused = status >= 400 && status < 500;
        boolean met = switch (expect.kind()) {
            case REFUSED -> refused;
            case STATUS -> expect.statuses().contains(status);
            case SUCCESS -> success;
            case ANY -> success || refused;
        };
        if (!met) {
            return Optional.of("expected " + expect.describe() + ", got " + status);
        }
        if (expect.code() != null && refused) {
            String code = code(reply);
            if (!code.equals(expect.code())) {
                return Optional.of("expected code " + expect.code() + ", got '" + code + "'");
            }
        }
        return Optional.empty();
    }

    /** An internal marker in {@code text} that {@code sent} did not carry itself, if any. */
    /**
     * A script or style sheet served whole by the API page (/docs: Swagger UI's webjar). It is a library's source,
     * where "Exception" is a word of the code, not something the server let slip; every answer of ours is still
     * scanned.
     */
    private static boolean libraryAsset(Reply reply) {
        return reply.status() >= 200 && reply.status() < 300 && List.of("application/javascript", "text/javascript",
                "text/css").contains(reply.mediaType());
    }

    public static Optional<String> internals(String text, String sent) {
        return Internals.find(text, sent);
    }

    /** Whether a problem or item error code has the stable snake_case form. */
    public static boolean isCode(String code) {
        return code != null && CODE.matcher(code).matches();
    }

    /** The problem code of a reply, or "" when it has none. */
    public static String code(Reply reply) {
        return Json.parse(reply.text()).map(p -> p.path("code").asText()).orElse("");
    }
}
