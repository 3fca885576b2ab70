package io.montage.worker.images;

import io.micronaut.json.tree.JsonNode;
import io.montage.worker.images.PilResize.Crop;
import io.montage.worker.images.TestImages.Difference;
import io.montage.worker.images.TestImages.Pixels;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Decoding, conversion and resizing against PIL 9.4, reference by reference, bit for bit. Lossy formats go through
 * other decoders than PIL's libjpeg-turbo and libwebp: JPEGs still match exactly, lossy WebPs only within a bound
 * (their differences are printed).
 */
class PilParityTest {

    private static final Difference EXACT = new Difference(0, 0);
    /**
     * The JDK's JPEG decoder (IJG libjpeg 6b, behind TwelveMonkeys' reader) matched Debian 12's libjpeg-turbo bit
     * for bit on 120 JPEGs of Tux Paint photos (4:2:0, 4:2:2, 4:4:4, progressive), so any difference is news.
     */
    private static final Difference JPEG = EXACT;
    /**
     * TwelveMonkeys' VP8 decoder is not libwebp's: over 60 lossy WebPs of Tux Paint photos the mean difference
     * was 0.7–1.2 levels, with single samples up to 48 off at sharp colour edges. This one: max 12, mean 1.0.
     */
    private static final Difference LOSSY_WEBP = new Difference(16, 1.5);

    @TestFactory
    List<DynamicTest> everyPilReferenceIsMatched() {
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode reference : TestImages.index().get("conversions").values()) {
            tests.add(DynamicTest.dynamicTest(reference.get("reference").getStringValue(), () -> check(reference)));
        }
        return tests;
    }

    private static void check(JsonNode reference) {
        String source = reference.get("source").getStringValue();
        DecodedImage image = TestImages.decoded(source);
        int channels = reference.get("mode").getStringValue().equals("L") ? 1 : 3;
        JsonNode size = reference.get("size");
        int width = size.isNull() ? image.width() : size.get(0).getIntValue();
        int height = size.isNull() ? image.height() : size.get(1).getIntValue();
        Resampling resampling = reference.get("resample").isNull()
                ? Resampling.NEAREST // unused: the size does not change
                : Resampling.named(reference.get("resample").getStringValue());
        DecodedImage resized = ImagePreprocessor.resized(image, channels, width, height, resampling,
                Crop.all(width, height));

        Pixels expected = TestImages.reference(reference.get("reference").getStringValue());
        Pixels actual = Pixels.of(resized, channels);
        Difference difference = actual.differenceFrom(expected);
        assertNotNull(difference, () -> "shape " + actual.shape() + ", PIL's " + expected.shape());
        Difference bound = !reference.get("lossy").getBooleanValue() ? EXACT
                : source.toLowerCase(Locale.ROOT).endsWith(".webp") ? LOSSY_WEBP : JPEG;
        if (difference.max() > 0) {
            System.out.printf("PIL parity of %s: %s%n", reference.get("reference").getStringValue(), difference);
        }
        assertTrue(difference.max() <= bound.max() && difference.mean() <= bound.mean(),
                () -> "differs from PIL by " + difference + "; at most " + bound + " allowed");
    }
}
