package io.montage.worker.images;

import io.micronaut.json.tree.JsonNode;
import io.montage.models.ModelManifest;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Whole preprocessing against the tensors make_pil_references.py computed with PIL and numpy float32. */
class PreprocessingParityTest {

    private static final double TOLERANCE = 1e-6;

    @TestFactory
    List<DynamicTest> everyPythonTensorIsMatched() {
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode reference : TestImages.index().get("tensors").values()) {
            tests.add(DynamicTest.dynamicTest(reference.get("tensor").getStringValue(), () -> {
                float[] expected = TestImages.tensor(reference.get("tensor").getStringValue());
                float[] actual = ImagePreprocessor.preprocess(
                        TestImages.decoded(reference.get("source").getStringValue()), spec(reference.get("spec")));

                assertEquals(expected.length, actual.length);
                double max = 0;
                for (int i = 0; i < expected.length; i++) {
                    max = Math.max(max, Math.abs(expected[i] - actual[i]));
                }
                double largest = max;
                assertTrue(largest <= TOLERANCE, () -> "differs from Python by up to " + largest);
            }));
        }
        return tests;
    }

    /**
     * drake.png resizes to 224×263: its crop starts at row 20 rounding 19.5 half to even, and at row 19 with
     * floor. So the floor tensor is the round one moved down a row.
     */
    @Test
    void floorRoundingCropsHalfAPixelHigher() {
        ModelManifest.Image round = clip("round");
        ModelManifest.Image floor = clip("floor");
        DecodedImage drake = TestImages.decoded("drake.png");

        float[] rounded = ImagePreprocessor.preprocess(drake, round);
        float[] floored = ImagePreprocessor.preprocess(drake, floor);

        int side = 224;
        for (int c = 0; c < 3; c++) {
            for (int y = 1; y < side; y++) {
                for (int x = 0; x < side; x++) {
                    int at = (c * side + y) * side + x;
                    assertEquals(rounded[at - side], floored[at], () -> "channel, row, column " + at);
                }
            }
        }
    }

    private static ModelManifest.Image clip(String cropRounding) {
        return new ModelManifest.Image("shortest_edge", 224, "bicubic", "center", cropRounding, 224, "RGB",
                List.of(0.48145466, 0.4578275, 0.40821073), List.of(0.26862954, 0.26130258, 0.27577711));
    }

    private static ModelManifest.Image spec(JsonNode spec) {
        return new ModelManifest.Image(spec.get("resize").getStringValue(), spec.get("resize_size").getIntValue(),
                spec.get("interpolation").getStringValue(), spec.get("crop").getStringValue(),
                spec.get("crop_rounding").getStringValue(), spec.get("crop_size").getIntValue(),
                spec.get("color_mode").getStringValue(), doubles(spec.get("mean")), doubles(spec.get("std")));
    }

    private static List<Double> doubles(JsonNode array) {
        List<Double> values = new ArrayList<>();
        for (JsonNode value : array.values()) {
            values.add(value.getNumberValue().doubleValue());
        }
        return values;
    }
}
