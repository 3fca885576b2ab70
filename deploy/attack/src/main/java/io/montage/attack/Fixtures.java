package io.montage.attack;

import com.fasterxml.jackson.databind.JsonNode;
import io.montage.attack.inputs.Bodies;
import io.montage.attack.inputs.Images;

import java.time.Duration;

/**
 * What tenant A owns before the probes run, made through the API: collection {@value #COLLECTION} with raw-vector
 * items (metadata to filter on), a text item and an image item; collection {@value #SCRATCH} for probes that
 * delete or switch things; a finished echo job with one succeeded and one failed item; the clip model and the
 * fused model the probes use.
 */
public record Fixtures(String model, int dimension, String fusedModel, String jobId, String png) {

    public static final String COLLECTION = "target";
    public static final String SCRATCH = "scratch";

    public static Fixtures create(Client client, Keys keys) {
        JsonNode models = client.require("GET", "/v1/models", keys.all(), null, 200);
        JsonNode model = ofKind(models, "clip");
        JsonNode fused = ofKind(models, "fused");
        int dimension = model.path("embedding_dim").asInt();
        String png = Images.base64(Images.png());
        fresh(client, keys.all(), COLLECTION);
        client.require("POST", "/v1/collections", keys.all(), "{\"name\":\"" + COLLECTION + "\"}", 201);
        client.require("POST", "/v1/collections/" + COLLECTION + "/items", keys.all(), "{\"items\":["
                + vectorItem("v1", dimension, 0, "{\"kind\":\"shoe\",\"price\":12,\"tags\":[\"new\",\"sale\"]}") + ","
                + vectorItem("v2", dimension, 1, "{\"kind\":\"bag\",\"price\":30}") + ","
                + vectorItem("v3", dimension, 2, "{\"kind\":\"shoe\",\"price\":55,\"size\":\"m\"}") + ","
                + vectorItem("v4", dimension, 3, "null") + ","
                + "{\"id\":\"t1\",\"text\":\"ankle boot\",\"metadata\":{\"kind\":\"text\"}},"
                + "{\"id\":\"img1\",\"image\":\"" + png + "\",\"metadata\":{\"kind\":\"image\"}}]}", 200);
        fresh(client, keys.all(), SCRATCH);
        client.require("POST", "/v1/collections", keys.all(), "{\"name\":\"" + SCRATCH + "\"}", 201);
        JsonNode job = client.require("POST", "/v1/jobs", keys.all(), "{\"type\":\"echo\",\"items\":["
                + "{\"custom_id\":\"a\",\"input\":{\"x\":1}},{\"custom_id\":\"b\",\"input\":{\"fail\":\"on purpose\"}}]}", 201);
        String jobId = job.path("id").asText();
        JsonNode finished = client.awaitJob(jobId, keys.all(), Duration.ofSeconds(60));
        if (!finished.path("status").asText().equals("succeeded")) {
            throw new Client.SetupFailure("the fixture echo job ended " + finished);
        }
        return new Fixtures(model.path("id").asText(), dimension, fused.path("id").asText(), jobId, png);
    }

    /** The first ready model of {@code kind} (attack-test.sh registers the clip demo and the fused demo). */
    private static JsonNode ofKind(JsonNode models, String kind) {
        for (JsonNode model : models.path("data")) {
            if (kind.equals(model.path("kind").asText())) {
                return model;
            }
        }
        throw new Client.SetupFailure("GET /v1/models lists no ready " + kind + " model: " + models);
    }

    /** Deletes the tenant's collection of this name if an earlier run left one (the suites can run again). */
    public static void fresh(Client client, String key, String collection) {
        client.require("DELETE", "/v1/collections/" + collection, key, null, 204, 404);
    }

    static String vectorItem(String id, int dimension, int axis, String metadata) {
        return "{\"id\":\"" + id + "\",\"vector\":" + Bodies.direction(dimension, axis) + ",\"metadata\":" + metadata + "}";
    }

    /** A valid vector of the model's dimension. */
    public String vector() {
        return Bodies.direction(dimension, 5);
    }

    public String collectionPath() {
        return "/v1/collections/" + COLLECTION;
    }

    public String jobPath() {
        return "/v1/jobs/" + jobId;
    }
}
