package io.montage.worker.images;

import io.montage.worker.images.TestImages.Pixels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * EXIF orientation, read from the JPEG's APP1 segment and applied as PIL's exif_transpose. (Pixel parity of
 * every orientation with PIL is in {@link PilParityTest}: crow-small-exif1.jpg … exif8.jpg.)
 */
class ExifOrientationTest {

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8})
    void theOrientationPilWroteIsRead(int orientation) {
        assertEquals(orientation, JpegSegments.exifOrientation(TestImages.bytes(exifJpeg(orientation))));
    }

    @Test
    void orientationsFiveToEightSwapWidthAndHeight() {
        for (int orientation = 1; orientation <= 8; orientation++) {
            DecodedImage image = TestImages.decoded(exifJpeg(orientation));
            boolean swapped = orientation >= 5;
            assertEquals(swapped ? 51 : 64, image.width(), "width at orientation " + orientation);
            assertEquals(swapped ? 64 : 51, image.height(), "height at orientation " + orientation);
        }
    }

    /** Stored pixel (x, y) of a w × h image must land where PIL's transposes put it. */
    @Test
    void rotationsMoveThePixelsWherePilDoes() {
        Pixels upright = Pixels.of(TestImages.decoded(exifJpeg(1)));
        int w = upright.width();
        int h = upright.height();
        Pixels turned180 = Pixels.of(TestImages.decoded(exifJpeg(3)));
        Pixels turnedClockwise = Pixels.of(TestImages.decoded(exifJpeg(6)));
        Pixels turnedCounterClockwise = Pixels.of(TestImages.decoded(exifJpeg(8)));
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    byte stored = upright.planes()[c][y * w + x];
                    assertEquals(stored, turned180.planes()[c][(h - 1 - y) * w + (w - 1 - x)]);
                    // clockwise: stored (x, y) goes to (h - 1 - y, x) in an h-wide image
                    assertEquals(stored, turnedClockwise.planes()[c][x * h + (h - 1 - y)]);
                    // counter-clockwise: stored (x, y) goes to (y, w - 1 - x)
                    assertEquals(stored, turnedCounterClockwise.planes()[c][(w - 1 - x) * h + y]);
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void bothTiffByteOrdersAreRead(boolean littleEndian) {
        assertEquals(6, JpegSegments.exifOrientation(jpegWithExif(tiff(littleEndian, 6, 3))));
    }

    @Test
    void whatIsNotAValidOrientationLeavesTheImageAsStored() {
        assertEquals(1, JpegSegments.exifOrientation(jpegWithExif(tiff(true, 9, 3))), "out of range");
        assertEquals(1, JpegSegments.exifOrientation(jpegWithExif(tiff(true, 6, 2))), "not a SHORT");
        byte[] truncated = tiff(true, 6, 3);
        assertEquals(1, JpegSegments.exifOrientation(jpegWithExif(Arrays.copyOf(truncated, 14))),
                "IFD cut short");
        assertEquals(1, JpegSegments.exifOrientation(new byte[]{(byte) 0xFF, (byte) 0xD8, (byte) 0xFF}), "no segment");
        assertEquals(1, JpegSegments.exifOrientation(TestImages.bytes("crow.png")), "not a JPEG");
    }

    private static String exifJpeg(int orientation) {
        return "crow-small-exif" + orientation + ".jpg";
    }

    /** A TIFF header and an IFD0 with one entry, tag 0x0112 of {@code type} holding {@code orientation}. */
    private static byte[] tiff(boolean littleEndian, int orientation, int type) {
        ByteBuffer tiff = ByteBuffer.allocate(26).order(littleEndian ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
        tiff.put((byte) (littleEndian ? 'I' : 'M')).put((byte) (littleEndian ? 'I' : 'M')).putShort((short) 42)
                .putInt(8) // IFD0 right after the header
                .putShort((short) 1) // one entry
                .putShort((short) 0x0112).putShort((short) type).putInt(1).putShort((short) orientation)
                .putShort((short) 0)
                .putInt(0); // no next IFD
        return tiff.array();
    }

    /** SOI, an APP1 Exif segment around {@code tiff}, a start of scan and EOI: enough structure to walk. */
    private static byte[] jpegWithExif(byte[] tiff) {
        ByteArrayOutputStream jpeg = new ByteArrayOutputStream();
        jpeg.writeBytes(new byte[]{(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE1});
        int length = 2 + 6 + tiff.length;
        jpeg.writeBytes(new byte[]{(byte) (length >> 8), (byte) length, 'E', 'x', 'i', 'f', 0, 0});
        jpeg.writeBytes(tiff);
        jpeg.writeBytes(new byte[]{(byte) 0xFF, (byte) 0xDA, 0, 2, (byte) 0xFF, (byte) 0xD9});
        return jpeg.toByteArray();
    }
}
