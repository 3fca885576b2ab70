package io.montage.worker.images;

import io.montage.worker.images.TestImages.Difference;
import io.montage.worker.images.TestImages.Pixels;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Previews: the image scaled to fit, colours where they were (a JPEG's loss aside). */
class ThumbnailsTest {

    @Test
    void aColourPreviewFitsTheBoxAndKeepsItsColours() {
        DecodedImage drake = TestImages.decoded("drake.png");
        DecodedImage preview = TestImages.DECODER.decode(Thumbnails.jpeg(drake, 64));
        int width = preview.width();
        int height = preview.height();
        assertEquals(64, Math.max(width, height));
        assertEquals(3, preview.channels());
        // against the same resize kept exact: JPEG q80 at 54×64 is 3.6 levels off on average, the preview with red
        // and blue swapped 7.8
        DecodedImage exact = new DecodedImage(width, height, 3, PilResize.resize(drake, false, width, height,
                Resampling.BILINEAR, PilResize.Crop.all(width, height)));
        Difference difference = Pixels.of(preview).differenceFrom(Pixels.of(exact));
        assertNotNull(difference);
        assertTrue(difference.mean() < 5, () -> "the preview differs from the resized image by " + difference);
    }

    @Test
    void aGreyImageStaysGrey() {
        DecodedImage preview = TestImages.DECODER.decode(Thumbnails.jpeg(TestImages.decoded("rooster-grey.png"), 32));
        assertEquals(1, preview.channels());
        assertEquals(32, Math.max(preview.width(), preview.height()));
    }
}
