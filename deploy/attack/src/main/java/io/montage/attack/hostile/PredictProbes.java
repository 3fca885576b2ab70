package io.montage.attack.hostile;

import io.montage.attack.Fixtures;
import io.montage.attack.Keys;
import io.montage.attack.inputs.Bodies;
import io.montage.attack.inputs.Images;
import io.montage.attack.inputs.ZipWriter;
import io.montage.attack.probe.JobOutcome;

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
 * each shape must succeed. The same for bulk {@code predict} jobs (inline, JSONL, a zip whose texts are its
 * metadata.jsonl lines): bad items are refused inline and item errors in uploads, and every accepted job finishes
 * with exactly its good items succeeded.
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

        jobs(m, pair);

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

    /** Bulk predict jobs: the same pairs through POST /v1/jobs, inline, as JSONL and as a zip with texts. */
    private void jobs(String m, String pair) {
        String fused = "model=" + f.fusedModel();
        json("predict job, inline (allowed)", JOBS, "{\"type\":\"predict\"," + m + ",\"top_k\":2,\"items\":[" + pair
                + "]}", success().job(JobOutcome.items(1, 0)));
        json("predict job with the clip model", JOBS, "{\"type\":\"predict\",\"model\":\"" + f.model()
                + "\",\"items\":[" + pair + "]}", problem(422, "model_kind_mismatch"));
        json("predict job without a model (a default is never fused)", JOBS, "{\"type\":\"predict\",\"items\":["
                + pair + "]}", refused());
        json("embed job with the fused model", JOBS, "{\"type\":\"embed\"," + m + ",\"items\":[{\"text\":\"a\"}]}",
                problem(422, "model_kind_mismatch"));
        for (String item : new String[]{"{\"image\":\"" + f.png() + "\"}", "{\"text\":\"A hen.\"}",
                "{\"image\":\"" + f.png() + "\",\"image_url\":\"https://example.com/a.png\",\"text\":\"a\"}",
                "{\"image_url\":\"file:///etc/passwd\",\"text\":\"a\"}",
                "{\"image\":\"" + f.png() + "\",\"text\":null}",
                "{\"image\":\"" + f.png() + "\",\"text\":\"nul \\u0000\"}"}) {
            String shown = item.length() > 60 ? item.substring(0, 60) + "…" : item;
            json("predict job item " + shown, JOBS, "{\"type\":\"predict\"," + m + ",\"items\":[" + item + "]}",
                    refused());
        }
        for (String topK : new String[]{"0", "13", "\"2\"", "2147483648"}) {
            json("predict job top_k " + topK, JOBS, "{\"type\":\"predict\"," + m + ",\"top_k\":" + topK
                    + ",\"items\":[" + pair + "]}", refused());
        }
        json("embed job with top_k", JOBS, "{\"type\":\"embed\",\"model\":\"" + f.model()
                + "\",\"top_k\":1,\"items\":[{\"text\":\"a\"}]}", problem(422, "invalid_top_k"));
        jsonl("predict JSONL, a good line and bad ones", "type=predict&top_k=1&" + fused, pair + "\n"
                + "{\"image\":\"" + f.png() + "\"}\nnot json\n{\"image\":\"!!\",\"text\":\"a\"}\n",
                success().job(JobOutcome.items(1, 3)));
        jsonl("predict JSONL, top_k as text", "type=predict&top_k=many&" + fused, pair + "\n", refused());
        byte[] png = Images.png();
        zip("predict zip, one image with its text and one without", "type=predict&" + fused, new ZipWriter()
                .add("hen.png", png).add("alone.png", png)
                .add("metadata.jsonl", "{\"custom_id\":\"hen.png\",\"text\":\"A brown hen.\"}\n").toBytes(),
                success().job(JobOutcome.items(1, 1)));
        zip("predict zip, a text line that is a number", "type=predict&" + fused, new ZipWriter().add("p.png", png)
                .add("metadata.jsonl", "{\"custom_id\":\"p.png\",\"text\":42}\n").toBytes(),
                problem(422, "invalid_metadata"));
        zip("predict zip, a text line of 10,001 characters", "type=predict&" + fused, new ZipWriter().add("p.png", png)
                .add("metadata.jsonl", "{\"custom_id\":\"p.png\",\"text\":\"" + "x".repeat(10_001) + "\"}\n")
                .toBytes(), refused());
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
