package io.montage.worker.images;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * What the PIL references cannot cover shape by shape: a colour image resized to L, converted a row at a time where
 * the resize reads, comes out as PIL's {@code convert("L")} of the whole image resized, for every filter, axis that
 * changes or not, and crop.
 */
class PilResizeTest {

    @Test
    void resizingToLumaIsConvertingFirst() {
        Random random = new Random(7);
        for (int i = 0; i < 300; i++) {
            int width = 1 + random.nextInt(90);
            int height = 1 + random.nextInt(90);
            byte[] rgb = new byte[width * height * 3];
            random.nextBytes(rgb);
            DecodedImage colour = new DecodedImage(width, height, 3, rgb);
            DecodedImage grey = new DecodedImage(width, height, 1, PilConvert.luma(colour));
            int outWidth = random.nextBoolean() ? width : 1 + random.nextInt(120);
            int outHeight = random.nextBoolean() ? height : 1 + random.nextInt(120);
            int cropWidth = 1 + random.nextInt(outWidth);
            int cropHeight = 1 + random.nextInt(outHeight);
            PilResize.Crop crop = new PilResize.Crop(random.nextInt(outWidth - cropWidth + 1),
                    random.nextInt(outHeight - cropHeight + 1), cropWidth, cropHeight);
            for (Resampling filter : Resampling.values()) {
                String shape = width + "×" + height + " → " + outWidth + "×" + outHeight + " " + crop + " " + filter;
                assertArrayEquals(PilResize.resize(grey, false, outWidth, outHeight, filter, crop),
                        PilResize.resize(colour, true, outWidth, outHeight, filter, crop), shape);
            }
        }
    }
}
