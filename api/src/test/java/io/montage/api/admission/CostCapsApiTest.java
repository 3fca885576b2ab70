package io.montage.api.admission;

import io.montage.api.ApiServer;
import io.montage.api.TestModels;
import io.montage.apikeys.Scope;
import io.montage.models.Model;
import org.junit.jupiter.api.Test;

import java.util.Base64;
import java.util.EnumSet;
import java.util.function.IntFunction;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static io.montage.api.ApiServer.send;
import static io.montage.api.ProblemAssertions.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every endpoint's cost is checked before anything is queued: over a cap is 422 request_too_costly; at the cap the
 * request goes on (here, to the 503 of a model no worker serves: the queue is the next step).
 */
class CostCapsApiTest {

    private static final Model MODEL = TestModels.ready("costs");
    private static final String M = "\"model\":\"" + MODEL.reference() + "\"";
    private final ApiServer.Caller caller = ApiServer.newCaller(EnumSet.allOf(Scope.class));

    private static String list(int n, IntFunction<String> element) {
        return IntStream.range(0, n).mapToObj(element).collect(Collectors.joining(",", "[", "]"));
    }

    private static String quoted(int n, String prefix, String suffix) {
        return list(n, i -> "\"" + prefix + i + suffix + "\"");
    }

    private static String images(int n) {
        String png = "data:image/png;base64," + Base64.getEncoder().encodeToString(new byte[]{(byte) 0x89, 'P', 'N', 'G'});
        return list(n, i -> "\"" + png + "\"");
    }

    private ApiServer.Response classify(int labels, int templates) {
        return send("POST", "/v1/classify", caller.key(), "{" + M + ",\"images\":" + images(1) + ",\"labels\":"
                + quoted(labels, "label ", "") + (templates == 0 ? "" : ",\"templates\":" + quoted(templates, "t", " {}"))
                + "}");
    }

    @Test
    void aMillionTextEncodingsInFortyKilobytesIsRefusedBeforeAnythingIsQueued() {
        ApiServer.Response response = classify(1000, 1000);
        String detail = assertProblem(response, 422, "request_too_costly").get("detail").getStringValue();
        assertTrue(detail.contains("this request needs 1,000,000 text encodings (1,000 labels × 1,000 templates); "
                + "the limit is 4,096"), detail);
        assertEquals(0, send("GET", "/v1/jobs", caller.key(), null).json().get("data").size(), "nothing queued");
    }

    @Test
    void classifyAtTheTextEncodingCapGoesOnAndOneTemplateMoreDoesNot() {
        assertProblem(classify(512, 8), 503, "no_worker_for_model"); // 4,096 prompts
        assertProblem(classify(512, 9), 422, "request_too_costly");
        assertProblem(classify(1000, 0), 503, "no_worker_for_model"); // the model's one template: 1,000 prompts
    }

    @Test
    void repeatedTemplatesAreRefused() {
        assertProblem(send("POST", "/v1/classify", caller.key(), "{" + M + ",\"images\":" + images(1)
                + ",\"labels\":[\"a\"],\"templates\":[\"a {}\",\"a {}\"]}"), 422, "duplicate_templates");
    }

    @Test
    void embeddingsAndSimilarityAreCappedByTheirImages() {
        assertProblem(send("POST", "/v1/embeddings", caller.key(), "{" + M + ",\"input\":"
                + list(256, i -> "{\"image\":\"AQID\"}") + "}"), 503, "no_worker_for_model");
        String detail = assertProblem(send("POST", "/v1/embeddings", caller.key(), "{" + M + ",\"input\":"
                + list(257, i -> "{\"image\":\"AQID\"}") + "}"), 422, "request_too_costly")
                .get("detail").getStringValue();
        assertTrue(detail.contains("257 image encodings; the limit is 256"), detail);
        assertProblem(send("POST", "/v1/similarity", caller.key(), "{" + M + ",\"images\":" + images(256)
                + ",\"texts\":[\"a\"]}"), 503, "no_worker_for_model");
        assertProblem(send("POST", "/v1/similarity", caller.key(), "{" + M + ",\"images\":" + images(257)
                + ",\"texts\":[\"a\"]}"), 422, "request_too_costly");
    }

    @Test
    void collectionUpsertsAtTheCapGoOnAndSearchesAreCappedByTopK() {
        assertEquals(201, send("POST", "/v1/collections", caller.key(), "{\"name\":\"c\"," + M + "}").status());
        assertProblem(send("POST", "/v1/collections/c/items", caller.key(), "{\"items\":"
                + list(256, i -> "{\"id\":\"i" + i + "\",\"image\":\"AQID\"}") + "}"), 503, "no_worker_for_model");
        String vector = "[1,0,0,0,0,0,0,0]";
        assertEquals(200, send("POST", "/v1/collections/c/items", caller.key(),
                "{\"items\":[{\"id\":\"v\",\"vector\":" + vector + "}]}").status());
        assertEquals(200, send("POST", "/v1/collections/c/search", caller.key(),
                "{\"query\":{\"vector\":" + vector + "},\"top_k\":1000}").status());
        String detail = assertProblem(send("POST", "/v1/collections/c/search", caller.key(),
                "{\"query\":{\"vector\":" + vector + "},\"top_k\":1001}"), 422, "request_too_costly")
                .get("detail").getStringValue();
        assertTrue(detail.contains("1,001 results (top_k); the limit is 1,000"), detail);
        assertProblem(send("POST", "/v1/collections/c/search", caller.key(),
                "{\"query\":{\"vector\":" + vector + "},\"top_k\":0}"), 422, "invalid_top_k");
    }

    @Test
    void aClassifyJobIsCappedByItsLabelPrompts() {
        String job = "{\"type\":\"classify\"," + M + ",\"labels\":" + quoted(1000, "label ", "")
                + ",\"items\":[{\"image\":\"AQID\"}],\"templates\":";
        assertEquals(201, send("POST", "/v1/jobs", caller.key(), job + quoted(100, "t", " {}") + "}").status());
        String detail = assertProblem(send("POST", "/v1/jobs", caller.key(), job + quoted(101, "t", " {}") + "}"),
                422, "request_too_costly").get("detail").getStringValue();
        assertTrue(detail.contains("101,000 text encodings (1,000 labels × 101 templates); the limit is 100,000 per job"),
                detail);
        assertProblem(send("POST", "/v1/jobs", caller.key(), job + "[\"no slot\"]}"), 422, "invalid_template");
        assertEquals(1, send("GET", "/v1/jobs", caller.key(), null).json().get("data").size(), "only the one at the cap");
    }
}
