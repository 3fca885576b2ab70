package io.montage.attack.probe;

import io.montage.attack.http.Reply;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The suite is only as strict as its verdicts: each rule must flag what it exists to flag. */
class ReplyChecksTest {

    private static final String PROBLEM = "{\"type\":\"urn:montage:problem:invalid_item\",\"title\":\"Unprocessable Entity\","
            + "\"status\":422,\"detail\":\"items[0] must be a JSON object\",\"code\":\"invalid_item\"}";

    private static Probe probe(Expect expect) {
        return ProbeBuilder.probe("test", "a probe").post("/v1/jobs").json("{\"items\":[null]}").expect(expect);
    }

    private static Reply reply(int status, String contentType, String body) {
        return new Reply(status, Map.of("Content-Type", List.of(contentType)), body.getBytes(StandardCharsets.UTF_8), 12, null, false);
    }

    private static List<String> check(Expect expect, Reply reply) {
        return ReplyChecks.check(probe(expect), reply, List.of("mtg_live_secret"));
    }

    @Test
    void aProblemWithEveryFieldPasses() {
        assertEquals(List.of(), check(Expect.problem(422, "invalid_item"), reply(422, "application/problem+json", PROBLEM)));
    }

    @Test
    void a5xxFailsWhateverWasExpected() {
        assertTrue(check(Expect.any(), reply(500, "application/problem+json", PROBLEM.replace("422", "500"))).contains("5xx"));
    }

    @Test
    void a4xxThatIsNotProblemJsonFails() {
        List<String> failures = check(Expect.refused(), reply(413, "text/plain", "Request Entity Too Large"));
        assertTrue(failures.getFirst().contains("not application/problem+json"), failures.toString());
    }

    @Test
    void aProblemWithoutCodeOrWithTheWrongStatusFails() {
        assertTrue(check(Expect.refused(), reply(422, "application/problem+json", PROBLEM.replace("\"code\":\"invalid_item\"", "\"x\":1")))
                .getFirst().contains("lacks code"));
        assertTrue(check(Expect.refused(), reply(400, "application/problem+json", PROBLEM)).getFirst().contains("status is 422"));
        assertTrue(check(Expect.refused(), reply(422, "application/problem+json", PROBLEM.replace("\"invalid_item\"}", "\"Invalid Item\"}")))
                .getFirst().contains("snake_case"));
    }

    @Test
    void internalsInABodyFailUnlessTheRequestCarriedThem() {
        Reply leak = reply(422, "application/problem+json", PROBLEM.replace("must be a JSON object",
                "Failed to convert argument: io.micronaut.core.convert.ConversionErrorException"));
        assertTrue(check(Expect.refused(), leak).stream().anyMatch(f -> f.startsWith("internals")));
        Reply sql = reply(422, "application/problem+json", PROBLEM.replace("must be a JSON object", "ERROR: invalid input syntax for type uuid"));
        assertTrue(check(Expect.refused(), sql).stream().anyMatch(f -> f.contains("ERROR: ")));
        Probe echoing = ProbeBuilder.probe("test", "echo").post("/v1/jobs").json("{\"input\":\"java.lang\"}").expect(Expect.any());
        assertEquals(List.of(), ReplyChecks.check(echoing, reply(200, "application/json", "{\"echo\":\"java.lang\"}"), List.of()));
    }

    @Test
    void anEchoedKeyFails() {
        assertTrue(check(Expect.any(), reply(200, "application/json", "{\"auth\":\"mtg_live_secret\"}"))
                .contains("an API key is echoed in the body"));
    }

    @Test
    void thePrescribedStatusAndCodeAreExact() {
        assertTrue(check(Expect.problem(400, "corrupt_zip"), reply(422, "application/problem+json", PROBLEM))
                .contains("expected 400 corrupt_zip, got 422"));
        assertTrue(check(Expect.problem(422, "request_too_costly"), reply(422, "application/problem+json", PROBLEM))
                .contains("expected code request_too_costly, got 'invalid_item'"));
        assertTrue(check(Expect.refused(), reply(201, "application/json", "{}")).contains("expected a 4xx, got 201"));
    }

    @Test
    void noAnswerFailsAndACloseOnlyPassesWhereAllowed() {
        assertEquals(List.of("no response within 15 s"), check(Expect.any(), Reply.failed("no response within 15 s", 15_000)));
        assertEquals(List.of("closed without a response"), check(Expect.refused(), Reply.closedWithoutAnswer(3)));
        assertEquals(List.of(), check(Expect.refusedOrClosed(), Reply.closedWithoutAnswer(3)));
    }

    @Test
    void extraRulesAndTimeLimitsAreApplied() {
        Expect expect = Expect.status(200).within(Duration.ofMillis(5)).and("data is empty", r -> r.text().contains("[]"));
        List<String> failures = check(expect, reply(200, "application/json", "{\"data\":[1]}"));
        assertTrue(failures.contains("not true: data is empty"), failures.toString());
        assertTrue(failures.stream().anyMatch(f -> f.startsWith("took 12 ms")), failures.toString());
    }

    @Test
    void aJsonSuccessMustParse() {
        assertTrue(check(Expect.success(), reply(200, "application/json", "{\"score\":NaN}")).contains("2xx body is not valid JSON"));
    }
}
