package io.montage.worker.inference;

import io.micronaut.json.tree.JsonNode;
import io.montage.testing.SharedContext;
import io.montage.testing.Vectors;
import io.montage.worker.fairshare.Flow;
import io.montage.worker.images.DecodedImage;
import io.montage.worker.images.ImageDecoder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Java serving path reproduces what the model's own Python code computes, on real photos (RGBA PNGs, a JPEG, an
 * EXIF-rotated JPEG, palette and grey+alpha images) and Fashion-MNIST test images: the same preprocessed input, the
 * same token ids, and embeddings with cosine ≥ 0.9999. deploy/models/make_reference.py wrote the references with
 * Pillow and torch.
 */
class PythonParityTest {

    private static LoadedModel model;
    private static final Flow FLOW = new Flow(null, true, 64, "parity");
    private static JsonNode references;

    @BeforeAll
    static void load() throws Exception {
        model = SharedContext.bean(ModelServer.class).load(DemoBundle.model());
        references = DemoBundle.references();
    }

    @AfterAll
    static void unload() {
        model.close();
    }

    @Test
    void imagesPreprocessAndEmbedAsInPython() throws Exception {
        double minimum = references.get("cosine_min").getDoubleValue();
        ImageDecoder decoder = SharedContext.bean(ImageDecoder.class);
        List<String> checked = new ArrayList<>();
        for (JsonNode reference : references.get("images").values()) {
            String file = reference.get("file").getStringValue();
            DecodedImage image = decoder.decode(Files.readAllBytes(DemoBundle.DIR.resolve("reference").resolve(file)));
            float[] input = model.preprocessor().preprocess(image);

            assertEquals(reference.get("input_sum").getDoubleValue(), sum(input), 1e-3, file + ": preprocessed sum");
            float[] first8 = DemoBundle.floats(reference.get("input_first8"));
            for (int i = 0; i < 8; i++) {
                assertEquals(first8[i], input[i], 1e-6, file + ": preprocessed value " + i);
            }
            double cosine = Vectors.cosine(model.embedImage(FLOW, input).get(),
                    DemoBundle.floats(reference.get("embedding")));
            assertTrue(cosine >= minimum, file + ": cosine " + cosine);
            checked.add(file);
        }
        assertTrue(checked.stream().anyMatch(f -> f.endsWith(".jpg")) && checked.stream().anyMatch(f -> f.contains("exif")),
                "real photos, JPEG and EXIF-rotated, are among the references: " + checked);
    }

    @Test
    void textsTokenizeAndEmbedAsInPython() throws Exception {
        double minimum = references.get("cosine_min").getDoubleValue();
        for (JsonNode reference : references.get("texts").values()) {
            String text = reference.get("text").getStringValue();
            TextTokenizer.Tokens tokens = model.tokenize(text);
            assertArrayEquals(DemoBundle.longs(reference.get("input_ids")), tokens.ids(), "ids of '" + text + "'");
            assertArrayEquals(DemoBundle.longs(reference.get("attention_mask")), tokens.mask(), "mask of '" + text + "'");
            double cosine = Vectors.cosine(model.embedTokens(FLOW, tokens).get(), DemoBundle.floats(reference.get("embedding")));
            assertTrue(cosine >= minimum, "'" + text + "': cosine " + cosine);
        }
    }

    private static double sum(float[] values) {
        double sum = 0;
        for (float v : values) {
            sum += v;
        }
        return sum;
    }
}
