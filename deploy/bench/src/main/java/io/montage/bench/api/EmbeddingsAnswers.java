package io.montage.bench.api;

import java.util.ArrayList;
import java.util.List;

/**
 * Just enough reading of an embeddings answer to tell a real result from a wrong one, without a JSON library
 * spending the client's share of these two cores on parsing every answer.
 */
final class EmbeddingsAnswers {

    private EmbeddingsAnswers() {
    }

    static int embeddingCount(String body) {
        int count = 0;
        for (int at = body.indexOf("\"object\":\"embedding\""); at >= 0;
             at = body.indexOf("\"object\":\"embedding\"", at + 1)) {
            count++;
        }
        return count;
    }

    /** The first embedding of a {@code float}-format answer. */
    static float[] firstEmbedding(String body) {
        int start = body.indexOf("\"embedding\":[");
        if (start < 0) {
            throw new IllegalArgumentException("no float embedding in " + abbreviate(body));
        }
        start += "\"embedding\":[".length();
        int end = body.indexOf(']', start);
        List<Float> values = new ArrayList<>();
        for (String value : body.substring(start, end).split(",")) {
            values.add(Float.parseFloat(value.trim()));
        }
        float[] out = new float[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = values.get(i);
        }
        return out;
    }

    static String abbreviate(String body) {
        return body.length() <= 300 ? body : body.substring(0, 300) + "…";
    }
}
