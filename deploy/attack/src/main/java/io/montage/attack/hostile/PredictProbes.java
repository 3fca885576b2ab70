package io.montage.attack.hostile;

import io.montage.attack.Fixtures;
import io.montage.attack.Keys;
import io.montage.attack.inputs.Bodies;
import io.montage.attack.inputs.Images;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

import static io.montage.attack.probe.Expect.problem;
import static io.montage.attack.probe.Expect.refused;
import static io.montage.attack.probe.Expect.success;

/**
 * {@code POST /v1/predict} with the fused demo model, as JSON and as the multipart form (image file + text field):
 * inputs missing half of their pair, of the wrong JSON types, with garbage or non-image bytes, NUL in texts, texts
 * over the limit, top_k out of range or given as text, more inputs than a request takes, forms whose files and
 * texts do not pair up, and the clip model where a fused one belongs (and the reverse). One well-formed request of
 * each shape must succeed.
 */
final class PredictProbes extends Catalogue {

    static final String PREDICT = "/v1/predict";

    PredictProbes(Keys keys, Fixtures fixtures) {
        super("predict", keys, fixtures);
    }

    @Override
    void build() {
        String m = "\"model\":\"" + f.fusedModel() + "\"";
        String pair = "{\"image\":\"" + f.png() + "\",\"text\":\"A brown hen.\"}";
        json("predict, one pair (allowed)", PREDICT, "{" + m + ",\"inputs\":[" + pair + "],\"top_k\":3}", success());
        json("predict with the clip model", PREDICT, "{\"model\":\"" + f.model() + "\",\"inputs\":[" + pair + "]}",
                problem(422, "model_kind_mismatch"));
        json("embeddings with the fused model", EMBEDDINGS, "{" + m + ",\"input\":\"a hen\"}",
                problem(422, "model_kind_mismatch"));
        json("predict without inputs", PREDICT, "{" + m + "}", refused());
        json("predict of an empty inputs list", PREDICT, "{" + m + ",\"inputs\":[]}", refused());
        for (String input : new String[]{"null", "\"A hen.\"", "[]", "42", "{}", "{\"image\":\"" + f.png() + "\"}",
                "{\"text\":\"A hen.\"}", "{\"image\":null,\"text\":\"A hen.\"}", "{\"image\":\"!!!!\",\"text\":\"a\"}",
                "{\"image\":\"" + f.png() + "\",\"text\":42}", "{\"image\":\"" + f.png() + "\",\"text\":[\"a\"]}",
                "{\"image\":\"" + f.png() + "\",\"text\":\"\"}", "{\"image\":\"" + f.png() + "\",\"text\":\"nul \\u0000\"}",
                "{\"image\":\"" + f.png() + "\",\"text\":\"" + "x".repeat(10_001) + "\"}",
                "{\"image\":\"" + Images.base64("%PDF-1.4 not an image".getBytes(StandardCharsets.UTF_8))
                        + "\",\"text\":\"a\"}"}) {
            String shown = input.length() > 60 ? input.substring(0, 60) + "…" : input;
            json("predict input " + shown, PREDICT, "{" + m + ",\"inputs\":[" + input + "]}", refused());
        }
        for (String topK : new String[]{"0", "-1", "13", "2147483648", "1e10", "\"3\"", "null"}) {
            json("predict top_k " + topK, PREDICT, "{" + m + ",\"inputs\":[" + pair + "],\"top_k\":" + topK + "}",
                    topK.equals("null") ? success() : refused());
        }
        json("predict of 257 inputs", PREDICT, "{" + m + ",\"inputs\":" + Bodies.array(257, i -> pair) + "}", refused());

        byte[] png = Images.png();
        add(probe("predict form, image + text (allowed)").post(PREDICT).body(form(f.fusedModel(), png, "A brown hen.", true), FORM)
                .expect(success()));
        add(probe("predict form, image without text").post(PREDICT).body(form(f.fusedModel(), png, null, true), FORM)
                .expect(problem(422, "mismatched_inputs")));
        add(probe("predict form, text without image").post(PREDICT).body(form(f.fusedModel(), null, "A hen.", true), FORM)
                .expect(problem(422, "mismatched_inputs")));
        add(probe("predict form, image as a text field").post(PREDICT).body(form(f.fusedModel(), png, "A hen.", false), FORM)
                .expect(refused()));
    }

    private static final String BOUNDARY = "predictprobe";
    private static final String FORM = "multipart/form-data; boundary=" + BOUNDARY;

    /** A form with the model, an image (a file part, or a text field when not {@code asFile}) and a text. */
    private static byte[] form(String model, byte[] image, String text, boolean asFile) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(part("model", model).getBytes(StandardCharsets.UTF_8));
        if (image != null) {
            out.writeBytes(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"image\""
                    + (asFile ? "; filename=\"p.png\"\r\nContent-Type: image/png" : "") + "\r\n\r\n")
                    .getBytes(StandardCharsets.UTF_8));
            out.writeBytes(image);
            out.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
        }
        if (text != null) {
            out.writeBytes(part("text", text).getBytes(StandardCharsets.UTF_8));
        }
        out.writeBytes(("--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    private static String part(String name, String value) {
        return "--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value + "\r\n";
    }
}
