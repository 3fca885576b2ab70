package io.montage.jobs.contracts;

import io.micronaut.json.tree.JsonNode;
import io.micronaut.serde.ObjectMapper;
import io.montage.jobs.NewItem;
import io.montage.json.JsonCodec;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every contract against the exact JSON the code wrote before the contracts (stored jobs and the api rely on it),
 * under both modules' serde settings: the worker's (Micronaut's defaults) and the api's (snake_case, explicit nulls).
 */
class JobContractsJsonTest {

    /** The mappers' contexts never migrate: they would reach the default database (the shared dev one). */
    private static final ObjectMapper WORKER_MAPPER = ObjectMapper.create(Map.of(
            "montage.database.migrate-on-start", "false"), "io.montage");
    private static final ObjectMapper API_MAPPER = ObjectMapper.create(Map.of(
            "montage.database.migrate-on-start", "false",
            "micronaut.serde.property-naming-strategy", "SNAKE_CASE",
            "micronaut.serde.serialization.inclusion", "always"), "io.montage");
    private static final List<JobCodec> CODECS =
            List.of(new JobCodec(new JsonCodec(WORKER_MAPPER)), new JobCodec(new JsonCodec(API_MAPPER)));
    private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G'};
    private static final UUID ID = UUID.fromString("0b4a8c1e-3f7d-4e2a-9c55-1d2e3f4a5b6c");

    @Test
    void embedJobsReadAndWriteTodaysJson() {
        params(EmbedJob.CONTRACT, EmbedJob.Params.DEFAULT, "{}");
        params(EmbedJob.CONTRACT, new EmbedJob.Params("end"), "{\"truncate\":\"end\"}");
        input(EmbedJob.CONTRACT, ItemSource.text("a \"quoted\" \\ photo\nof a cat ☃"),
                "{\"text\":\"a \\\"quoted\\\" \\\\ photo\\nof a cat ☃\"}");
        // the only texts written differently before the contracts (every control character then as a lowercase
        // unicode escape but for \n, \r and \t): the same string either way
        input(EmbedJob.CONTRACT, ItemSource.text("a\bb\u001f"), "{\"text\":\"a\\bb\\u001F\"}");
        for (JobCodec codec : CODECS) {
            assertEquals(ItemSource.text("a\bb\u001f"),
                    codec.readInput(EmbedJob.CONTRACT, "{\"text\":\"a\\u0008b\\u001f\"}", null));
        }
        input(EmbedJob.CONTRACT, ItemSource.imageUrl("https://example.com/a.png"),
                "{\"image_url\":\"https://example.com/a.png\"}");
        for (JobCodec codec : CODECS) {
            EmbedJob.Result read = codec.readResult(EmbedJob.CONTRACT,
                    "{\"embedding\":[0.1,-0.25,1.0E-5],\"tokens\":7,\"truncated\":true}");
            assertArrayEquals(new float[] {0.1f, -0.25f, 1.0e-5f}, read.embedding());
            assertEquals(7, read.tokens());
            assertTrue(read.wasTruncated());
            assertFalse(codec.readResult(EmbedJob.CONTRACT, "{\"embedding\":[1.0],\"tokens\":0}").wasTruncated());
        }
    }

    @Test
    void evaluateJobsReadAndWriteSnakeCaseInEveryModule() {
        params(EvaluateJob.CONTRACT, new EvaluateJob.Params(ID, ID, EvaluateJob.ZERO_SHOT, List.of("cat"),
                List.of("a {}")), "{\"run_id\":\"" + ID + "\",\"dataset_version_id\":\"" + ID
                + "\",\"task\":\"zero_shot_classification\",\"labels\":[\"cat\"],\"templates\":[\"a {}\"]}");
        input(EvaluateJob.CONTRACT, new EvaluateJob.Input(16, 32), "{\"seq_from\":16,\"seq_to\":32}");
        String zeroShot = "{\"entries\":[{\"seq\":16,\"truth\":2,\"top\":[2,0],\"scores\":[0.5,0.25]}],"
                + "\"millis\":12.5,\"heap_bytes\":1024,\"rss_bytes\":4096}";
        for (JobCodec codec : CODECS) {
            EvaluateJob.Result read = codec.readResult(EvaluateJob.CONTRACT, zeroShot);
            EvaluateJob.Entry entry = read.entries().getFirst();
            assertArrayEquals(new int[] {2, 0}, entry.top());
            assertArrayEquals(new double[] {0.5, 0.25}, entry.scores());
            assertEquals(List.of(16, 2, 1024L, 4096L), List.of(entry.seq(), entry.truth(), read.heapBytes(),
                    read.rssBytes()));
            // the worker writes, the api reads: one module's JSON reads back the same in the other
            assertEquals(zeroShot, CODECS.get(0).result(EvaluateJob.CONTRACT, read));
            EvaluateJob.Result retrieval = codec.readResult(EvaluateJob.CONTRACT, "{\"entries\":[{\"seq\":0,"
                    + "\"image\":[1.0,0.0],\"captions\":[[0.0,1.0]]}],\"millis\":1,\"heap_bytes\":0,\"rss_bytes\":0}");
            assertArrayEquals(new float[] {0f, 1f}, retrieval.entries().getFirst().captions().getFirst());
        }
    }

    @Test
    void imageBytesTravelBesideTheJsonThatCountsThem() {
        for (JobCodec codec : CODECS) {
            NewItem item = codec.item(EmbedJob.CONTRACT, "p", ItemSource.image(PNG));
            assertEquals("{\"image_bytes\":4}", item.inputJson()); // no base64: the bytes go to items.input_bytes
            assertSame(PNG, item.inputBytes());
            ItemSource read = codec.readInput(EmbedJob.CONTRACT, item.inputJson(), item.inputBytes());
            assertArrayEquals(PNG, read.image());
            assertEquals(1, read.given());
            // bytes the JSON names but that did not come, or not as many: never a valid source
            assertEquals(2, codec.readInput(EmbedJob.CONTRACT, "{\"image_bytes\":4}", null).given());
            assertEquals(2, codec.readInput(EmbedJob.CONTRACT, "{\"image_bytes\":5}", PNG).given());
            // base64 inside the JSON (before V18) is no image at all
            assertEquals(0, codec.readInput(EmbedJob.CONTRACT, "{\"image\":\"iVBORw0KGgo=\"}", null).given());
            assertNull(codec.item(EmbedJob.CONTRACT, null, ItemSource.text("t")).inputBytes());
        }
    }

    @Test
    void theHandWrittenEmbeddingWriterWritesWhatTheCodecWrites() {
        java.util.Random random = new java.util.Random(42);
        float[] vector = new float[512];
        for (int i = 0; i < vector.length; i++) {
            vector[i] = (float) (random.nextGaussian() * Math.pow(10, random.nextInt(-8, 4)));
        }
        vector[0] = 0f;
        vector[1] = -0f;
        vector[2] = Float.MIN_VALUE;
        vector[3] = Float.MAX_VALUE;
        for (boolean truncated : new boolean[] {false, true}) {
            EmbedJob.Result result = EmbedJob.Result.of(vector, 13, truncated);
            String hand = EmbedJob.CONTRACT.resultWriter().write(result);
            assertTrue(hand.startsWith("{\"embedding\":[0.0,-0.0,1.4E-45,3.4028235E38,"), hand);
            assertEquals(truncated, hand.endsWith(",\"tokens\":13,\"truncated\":true}"), hand);
            for (JobCodec codec : CODECS) {
                assertEquals(hand, new JsonCodec(WORKER_MAPPER).write(result));
                assertEquals(hand, codec.result(EmbedJob.CONTRACT, result));
                assertArrayEquals(vector, codec.readResult(EmbedJob.CONTRACT, hand).embedding());
            }
        }
        SimilarityJob.Result scores = new SimilarityJob.Result(new float[] {0.5f, -0.125f, vector[4], vector[5]});
        String hand = SimilarityJob.CONTRACT.resultWriter().write(scores);
        assertEquals(hand, new JsonCodec(API_MAPPER).write(scores));
        assertEquals(hand, new JsonCodec(WORKER_MAPPER).write(scores));
        assertTrue(hand.startsWith("{\"scores\":[0.5,-0.125,"), hand);
    }

    @Test
    void classifyAndSimilarityJobs() {
        params(ClassifyJob.CONTRACT, new ClassifyJob.Params(List.of("cat", "dog"), List.of("a photo of a {}.")),
                "{\"labels\":[\"cat\",\"dog\"],\"templates\":[\"a photo of a {}.\"]}");
        params(ClassifyJob.CONTRACT, new ClassifyJob.Params(List.of("cat"), null), "{\"labels\":[\"cat\"]}");
        result(ClassifyJob.CONTRACT, new ClassifyJob.Result(List.of(new ClassifyJob.Ranked("cat", 0.75),
                        new ClassifyJob.Ranked("dog", 2.5E-5))),
                "{\"labels\":[{\"label\":\"cat\",\"score\":0.75},{\"label\":\"dog\",\"score\":2.5E-5}]}");
        params(SimilarityJob.CONTRACT, new SimilarityJob.Params(List.of("a cat", "a dog")),
                "{\"texts\":[\"a cat\",\"a dog\"]}");
        for (JobCodec codec : CODECS) {
            assertArrayEquals(new float[] {0.5f, -0.125f},
                    codec.readResult(SimilarityJob.CONTRACT, "{\"scores\":[0.5,-0.125]}").scores());
        }
    }

    @Test
    void ingestJobs() {
        params(IngestJob.CONTRACT, new IngestJob.Params("end", ID),
                "{\"truncate\":\"end\",\"collection_id\":\"" + ID + "\"}");
        params(IngestJob.CONTRACT, new IngestJob.Params(null, ID), "{\"collection_id\":\"" + ID + "\"}");
        JsonNode metadata = JsonNode.createObjectNode(Map.of("color", JsonNode.createStringNode("red")));
        input(IngestJob.CONTRACT, new IngestJob.Input("a", ItemSource.text("a red car"), metadata),
                "{\"item_id\":\"a\",\"text\":\"a red car\",\"metadata\":{\"color\":\"red\"}}");
        input(IngestJob.CONTRACT, new IngestJob.Input("b", ItemSource.imageUrl("https://example.com/b.jpg"), null),
                "{\"item_id\":\"b\",\"image_url\":\"https://example.com/b.jpg\"}");
        input(IngestJob.CONTRACT, IngestJob.Input.metadataOnly(metadata), "{\"metadata\":{\"color\":\"red\"}}");
        result(IngestJob.CONTRACT, new IngestJob.Result("a"), "{\"item_id\":\"a\"}");
        for (JobCodec codec : CODECS) { // what a synchronous upsert stored before the contracts: explicit nulls
            IngestJob.Input stored = codec.readInput(IngestJob.CONTRACT,
                    "{\"item_id\":\"c\",\"text\":null,\"image_bytes\":4,\"metadata\":null}", PNG);
            assertArrayEquals(PNG, stored.source().image());
            assertEquals(1, stored.source().given());
            assertNull(stored.metadata());
            NewItem item = codec.item(IngestJob.CONTRACT, "d", new IngestJob.Input("d", ItemSource.image(PNG), null));
            assertEquals("{\"item_id\":\"d\",\"image_bytes\":4}", item.inputJson());
            assertSame(PNG, item.inputBytes());
        }
    }

    @Test
    void platformJobs() {
        params(ReembedJob.CONTRACT, new ReembedJob.Params(ID), "{\"collection_id\":\"" + ID + "\"}");
        input(ReembedJob.CONTRACT, new ReembedJob.Input("x"), "{\"item_id\":\"x\"}");
        result(ReembedJob.CONTRACT, ReembedJob.Result.DELETED, "{\"deleted\":true}");
        result(ReembedJob.CONTRACT, ReembedJob.Result.REEMBEDDED, "{\"reembedded\":true}");
        params(ValidateModelJob.CONTRACT, NoParams.NONE, "{}");
        input(ValidateModelJob.CONTRACT, new ValidateModelJob.Input(ID), "{\"model_id\":\"" + ID + "\"}");
        result(ValidateModelJob.CONTRACT, ValidateModelJob.Result.READY, "{\"status\":\"ready\"}");
    }

    @Test
    void echoJobs() {
        params(EchoJob.CONTRACT, NoParams.NONE, "{}");
        JsonNode input = JsonNode.createObjectNode(Map.of("a", JsonNode.createArrayNode(
                List.of(JsonNode.createNumberNode(1), JsonNode.createStringNode("two")))));
        input(EchoJob.CONTRACT, input, "{\"a\":[1,\"two\"]}");
        result(EchoJob.CONTRACT, new EchoJob.Result(input), "{\"echo\":{\"a\":[1,\"two\"]}}");
        for (JobCodec codec : CODECS) { // a JSON null reads as no node at all
            assertEquals("{\"echo\":null}", codec.result(EchoJob.CONTRACT, new EchoJob.Result(JsonNode.nullNode())));
            assertNull(codec.readResult(EchoJob.CONTRACT, "{\"echo\":null}").echo());
            assertNull(codec.readInput(EchoJob.CONTRACT, "null", null));
            assertThrows(IllegalArgumentException.class, () -> codec.readInput(EchoJob.CONTRACT, "{}", PNG));
        }
    }

    @Test
    void predictJobsCarryAnImageBesideTheirTextAndAnswerLabelsOrAScore() {
        params(PredictJob.CONTRACT, new PredictJob.Params(3), "{\"top_k\":3}");
        params(PredictJob.CONTRACT, PredictJob.Params.ALL, "{}");
        for (JobCodec codec : CODECS) {
            NewItem item = codec.item(PredictJob.CONTRACT, "p", PredictJob.Input.of(PNG, "A brown hen."));
            assertEquals("{\"text\":\"A brown hen.\",\"image_bytes\":4}", item.inputJson());
            assertSame(PNG, item.inputBytes());
            PredictJob.Input read = codec.readInput(PredictJob.CONTRACT, item.inputJson(), item.inputBytes());
            assertArrayEquals(PNG, read.image());
            assertTrue(read.complete());
            // half a pair, or bytes the JSON names that did not come: never complete
            assertFalse(codec.readInput(PredictJob.CONTRACT, "{\"text\":\"a hen\"}", null).complete());
            assertFalse(codec.readInput(PredictJob.CONTRACT, "{\"text\":\"a hen\",\"image_bytes\":4}", null).complete());
            assertFalse(codec.readInput(PredictJob.CONTRACT, "{\"image_bytes\":4}", PNG).complete());
        }
        result(PredictJob.CONTRACT, new PredictJob.Result(List.of(new ClassifyJob.Ranked("birds", 0.875)), null),
                "{\"labels\":[{\"label\":\"birds\",\"score\":0.875}]}");
        result(PredictJob.CONTRACT, new PredictJob.Result(null, 0.25), "{\"score\":0.25}");
    }

    private static <P> void params(JobContract<P, ?, ?> contract, P params, String json) {
        for (JobCodec codec : CODECS) {
            assertEquals(json, codec.params(contract, params));
            assertEquals(params, codec.readParams(contract, json));
        }
    }

    private static <I> void input(JobContract<?, I, ?> contract, I input, String json) {
        for (JobCodec codec : CODECS) {
            assertEquals(json, codec.input(contract, input));
            assertEquals(input, codec.readInput(contract, json, null));
        }
    }

    private static <R> void result(JobContract<?, ?, R> contract, R result, String json) {
        for (JobCodec codec : CODECS) {
            assertEquals(json, codec.result(contract, result));
            assertEquals(result, codec.readResult(contract, json));
        }
    }
}
