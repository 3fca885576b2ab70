package io.montage.worker.images;

import io.montage.models.ModelManifest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeout;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The manifest checks and the shapes preprocessing produces; its values are checked in the parity tests. */
class ImagePreprocessorTest {

    private static final List<Double> HALF = List.of(0.5, 0.5, 0.5);

    private static ModelManifest.Image spec(String resize, String interpolation, String crop, int resizeSize,
                                            int cropSize, String colorMode, List<Double> mean, List<Double> std) {
        return new ModelManifest.Image(resize, resizeSize, interpolation, crop, "round", cropSize, colorMode, mean,
                std);
    }

    private static ModelManifest.Image rgb224() {
        return spec("shortest_edge", "bicubic", "center", 224, 224, "RGB", HALF, HALF);
    }

    @Test
    void aManifestThatCannotBeFollowedIsRefusedNamingTheField() {
        assertRefused("image.interpolation", spec("shortest_edge", "lanczos", "center", 224, 224, "RGB", HALF, HALF));
        assertRefused("image.resize", spec("longest_edge", "bicubic", "center", 224, 224, "RGB", HALF, HALF));
        assertRefused("image.crop", spec("shortest_edge", "bicubic", "corner", 224, 224, "RGB", HALF, HALF));
        assertRefused("image.color_mode", spec("shortest_edge", "bicubic", "center", 224, 224, "RGBA", HALF, HALF));
        assertRefused("image.mean", spec("shortest_edge", "bicubic", "center", 224, 224, "L", HALF, HALF));
        assertRefused("image.std", spec("shortest_edge", "bicubic", "center", 224, 224, "RGB", HALF,
                List.of(0.5, 0.0, 0.5)));
        assertRefused("image.crop_size", spec("shortest_edge", "bicubic", "center", 224, 256, "RGB", HALF, HALF));
        assertRefused("image.crop none", spec("shortest_edge", "bicubic", "none", 224, 224, "RGB", HALF, HALF));
    }

    private static void assertRefused(String field, ModelManifest.Image spec) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ImagePreprocessor(spec));
        assertTrue(e.getMessage().contains(field), e.getMessage());
    }

    @Test
    void theTensorIsChannelsTimesCropSizeSquared() {
        DecodedImage crow = TestImages.decoded("crow.png");

        assertEquals(3 * 224 * 224, ImagePreprocessor.preprocess(crow, rgb224()).length);
        assertEquals(28 * 28, ImagePreprocessor.preprocess(crow,
                spec("shortest_edge", "nearest", "center", 32, 28, "L", List.of(0.5), List.of(0.5))).length);
    }

    /** PIL's convert("RGB") of a grey image repeats it in every channel. */
    @Test
    void aGreyImageGivesAnRgbModelThreeEqualChannels() {
        float[] tensor = ImagePreprocessor.preprocess(TestImages.decoded("rooster-grey.png"), rgb224());

        int area = 224 * 224;
        float[] red = Arrays.copyOfRange(tensor, 0, area);
        assertArrayEquals(red, Arrays.copyOfRange(tensor, area, 2 * area));
        assertArrayEquals(red, Arrays.copyOfRange(tensor, 2 * area, 3 * area));
    }

    /**
     * A 4000 × 1 strip resizes to 896000 × 224 on its way to a 224² crop: only the crop is computed, so this takes
     * no time and no memory to speak of.
     */
    @Test
    void anElongatedImageIsResizedOnlyWhereItIsCropped() {
        DecodedImage strip = new DecodedImage(4000, 1, 1, new byte[4000]);

        float[] tensor = assertTimeout(Duration.ofSeconds(2), () -> ImagePreprocessor.preprocess(strip, rgb224()));

        assertEquals(3 * 224 * 224, tensor.length);
    }

    /** Resized to 224 on its short side, this one would be 22 400 000 × 224 pixels: PIL could not hold it. */
    @Test
    void anImageTooElongatedToResizeIsRefused() {
        DecodedImage strip = new DecodedImage(100_000, 1, 1, new byte[100_000]);

        ImageRejectedException e = assertThrows(ImageRejectedException.class,
                () -> ImagePreprocessor.preprocess(strip, rgb224()));

        assertEquals(ImageRejectedException.TOO_MANY_PIXELS, e.code());
        assertTrue(e.getMessage().contains("100000×1"), e.getMessage());
    }
}
