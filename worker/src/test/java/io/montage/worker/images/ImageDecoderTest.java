package io.montage.worker.images;

import io.montage.worker.images.TestImages.Pixels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.CRC32;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeout;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the decoder accepts and how it refuses the rest: each bad image fails alone, with a typed reason. */
class ImageDecoderTest {

    private static final ImageDecoder DECODER = TestImages.DECODER;

    @Test
    void greyStaysGreyAndColourHasThreeChannels() {
        assertEquals(1, TestImages.decoded("rooster-grey.png").channels());
        assertEquals(1, TestImages.decoded("grey16.png").channels());
        assertEquals(1, TestImages.decoded("crow-small-la.png").channels(), "grey with alpha");
        assertEquals(1, TestImages.decoded("crow-small-1bit.png").channels(), "1-bit");
        assertEquals(3, TestImages.decoded("crow.png").channels());
        assertEquals(3, TestImages.decoded("flower1.png").channels(), "a colour palette");
    }

    @Test
    void aGifIsItsFirstFrame() {
        DecodedImage gif = TestImages.decoded("crow-small.gif");
        // the second frame is the first mirrored; PIL parity of the first frame is in PilParityTest
        assertEquals(64, gif.width());
        assertEquals(51, gif.height());
        Pixels pil = TestImages.reference("crow-small.gif.RGB.png");
        assertEquals(0, Pixels.of(gif).differenceFrom(pil).max());
    }

    /** ImageIO's JPEG and WebP readers convert to sRGB through an embedded profile; PIL ignores it, and so must we. */
    @ParameterizedTest
    @ValueSource(strings = {"crow-small-icc.jpg", "crow-small-icc.webp"})
    void anEmbeddedColourProfileIsIgnoredAsPilIgnoresIt(String name) throws IOException {
        Pixels pil = TestImages.reference(name + ".RGB.png");
        BufferedImage converted = ImageIO.read(new ByteArrayInputStream(TestImages.bytes(name)));

        assertTrue(Pixels.of(StoredSamples.of(converted)).differenceFrom(pil).mean() > 10,
                "ImageIO by itself converts this image");
        assertEquals(0, Pixels.of(DECODER.decode(TestImages.bytes(name))).differenceFrom(pil).max());
    }

    @Test
    void moreBytesThanAllowedAreRefusedUnread() {
        ImageDecoder small = new ImageDecoder(new ImageLimits(10_000, 40_000_000));
        byte[] crow = TestImages.bytes("crow.png");

        ImageRejectedException e = assertThrows(ImageRejectedException.class, () -> small.decode(crow));

        assertEquals(ImageRejectedException.TOO_LARGE, e.code());
        assertEquals(413, e.status());
        assertTrue(e.getMessage().contains(crow.length + " bytes"), e.getMessage());
    }

    @Test
    void moreDeclaredPixelsThanAllowedAreRefusedBeforeDecoding() {
        ImageDecoder decoder = new ImageDecoder(new ImageLimits(20 << 20, 10_000));
        ImageRejectedException e = assertThrows(ImageRejectedException.class,
                () -> decoder.decode(TestImages.bytes("crow.png")));
        assertEquals(ImageRejectedException.TOO_MANY_PIXELS, e.code());
        assertEquals(413, e.status());
    }

    /**
     * A 100-byte PNG declaring 50000 × 50000 RGBA pixels (10 GB decoded) is refused from its header: quickly, and
     * without allocating anything of the kind.
     */
    @Test
    void aPngDecompressionBombCostsNothing() {
        byte[] bomb = pngDeclaring(50_000, 50_000);
        DECODER.decode(TestImages.bytes("crow-tiny.png")); // ImageIO's registry is set up once, outside the count

        long allocatedBefore = allocatedByThisThread();
        ImageRejectedException e = assertTimeout(Duration.ofSeconds(2),
                () -> assertThrows(ImageRejectedException.class, () -> DECODER.decode(bomb)));
        long allocated = allocatedByThisThread() - allocatedBefore;

        assertEquals(ImageRejectedException.TOO_MANY_PIXELS, e.code());
        assertTrue(e.getMessage().contains("50000×50000"), e.getMessage());
        assertTrue(allocated < 4 << 20, "allocated " + allocated + " bytes");
    }

    @Test
    void aJpegDecompressionBombIsRefusedFromItsHeader() {
        byte[] jpeg = TestImages.bytes("crow-q90.jpg");
        int frame = indexOf(jpeg, new byte[]{(byte) 0xFF, (byte) 0xC0}); // baseline start of frame
        jpeg[frame + 5] = (byte) 0xEA; // height 60000
        jpeg[frame + 6] = 0x60;
        jpeg[frame + 7] = (byte) 0xEA; // width 60000
        jpeg[frame + 8] = 0x60;

        ImageRejectedException e = assertThrows(ImageRejectedException.class, () -> DECODER.decode(jpeg));

        assertEquals(ImageRejectedException.TOO_MANY_PIXELS, e.code());
    }

    @Test
    void bytesOfNoImageFormatAreUnsupported() {
        byte[] noise = new byte[4096];
        new Random(42).nextBytes(noise);

        for (byte[] notAnImage : new byte[][]{noise, new byte[0], "{\"image\": \"…\"}".getBytes()}) {
            ImageRejectedException e = assertThrows(ImageRejectedException.class,
                    () -> DECODER.decode(notAnImage));
            assertEquals(ImageRejectedException.UNSUPPORTED_FORMAT, e.code());
            assertEquals(415, e.status());
        }
    }

    /** ImageIO reads TIFF too, but Montage's contract is JPEG, PNG, WebP, GIF and BMP. */
    @Test
    void aTiffIsUnsupportedThoughImageIoReadsIt() throws IOException {
        ByteArrayOutputStream tiff = new ByteArrayOutputStream();
        assertTrue(ImageIO.write(new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB), "tiff", tiff));

        ImageRejectedException e = assertThrows(ImageRejectedException.class,
                () -> DECODER.decode(tiff.toByteArray()));

        assertEquals(ImageRejectedException.UNSUPPORTED_FORMAT, e.code());
    }

    @Test
    void aKnownSignatureFollowedByNoiseIsCorrupt() {
        byte[] png = Arrays.copyOf(TestImages.bytes("crow.png"), 4096);
        byte[] noise = new byte[png.length - 40];
        new Random(7).nextBytes(noise);
        System.arraycopy(noise, 0, png, 40, noise.length); // signature and IHDR intact, then garbage

        assertCorrupt(png);
    }

    /** PIL refuses every one of these ("image file is truncated"), so Montage must too. */
    @ParameterizedTest
    @ValueSource(strings = {"crow.png", "crow-q90.jpg", "crow-small.bmp", "crow-small-lossless.webp",
            "crow-small-q80.webp"})
    void aTruncatedImageIsCorrupt(String name) {
        byte[] whole = TestImages.bytes(name);
        assertCorrupt(Arrays.copyOf(whole, whole.length * 2 / 3));
    }

    @Test
    void aJpegWithoutItsEndMarkerIsCorrupt() {
        byte[] whole = TestImages.bytes("crow-q90.jpg");
        assertCorrupt(Arrays.copyOf(whole, whole.length - 2));
    }

    /** As with PIL: what matters is the first frame; a GIF cut in its second frame still decodes. */
    @Test
    void aGifTruncatedInItsFirstFrameIsCorruptButNotInItsSecond() {
        byte[] gif = TestImages.bytes("crow-small.gif");
        assertCorrupt(Arrays.copyOf(gif, 2000));
        DecodedImage firstFrame = DECODER.decode(Arrays.copyOf(gif, 3000));
        assertEquals(0, Pixels.of(firstFrame)
                .differenceFrom(TestImages.reference("crow-small.gif.RGB.png")).max());
    }

    private static void assertCorrupt(byte[] data) {
        ImageRejectedException e = assertThrows(ImageRejectedException.class, () -> DECODER.decode(data));
        assertEquals(ImageRejectedException.CORRUPT, e.code(), e.getMessage());
        assertEquals(422, e.status());
    }

    /** A PNG signature, an IHDR (with its CRC) declaring an 8-bit RGBA image of that size, and nothing else. */
    private static byte[] pngDeclaring(int width, int height) {
        ByteBuffer header = ByteBuffer.allocate(13).putInt(width).putInt(height)
                .put((byte) 8).put((byte) 6).put((byte) 0).put((byte) 0).put((byte) 0);
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        png.writeBytes(new byte[]{(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
        png.writeBytes(chunk("IHDR", header.array()));
        png.writeBytes(chunk("IDAT", new byte[]{0x78, (byte) 0x9C, 0x03, 0x00}));
        png.writeBytes(chunk("IEND", new byte[0]));
        return png.toByteArray();
    }

    private static byte[] chunk(String type, byte[] data) {
        CRC32 crc = new CRC32();
        crc.update(type.getBytes());
        crc.update(data);
        return ByteBuffer.allocate(12 + data.length).putInt(data.length).put(type.getBytes()).put(data)
                .putInt((int) crc.getValue()).array();
    }

    private static int indexOf(byte[] data, byte[] pattern) {
        for (int i = 0; i + pattern.length <= data.length; i++) {
            if (Arrays.equals(data, i, i + pattern.length, pattern, 0, pattern.length)) {
                return i;
            }
        }
        throw new IllegalArgumentException("pattern not found");
    }

    private static long allocatedByThisThread() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }
}
