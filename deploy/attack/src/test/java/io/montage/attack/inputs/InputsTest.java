package io.montage.attack.inputs;

import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The hostile inputs are what they claim to be: bombs expand, archives read back, images declare their size. */
class InputsTest {

    @Test
    void aCompressionBombExpandsToItsDeclaredSize() throws IOException {
        Repeated content = Repeated.of("{\"input\":\"", "a", 20L * 1024 * 1024, "\"}");
        byte[] gzip = content.gzip();
        assertTrue(gzip.length < 100_000, "compressed to " + gzip.length);
        try (CheckedInputStream in = new CheckedInputStream(new GZIPInputStream(new ByteArrayInputStream(gzip)), new CRC32())) {
            assertEquals(content.length(), in.transferTo(java.io.OutputStream.nullOutputStream()));
            assertEquals(content.crc32(), in.getChecksum().getValue());
        }
    }

    @Test
    void aZipReadsBackEntryByEntryAndATruncatedOneDoesNot() throws IOException {
        ZipWriter writer = new ZipWriter().add("a.png", Images.png()).add("big.bin", Repeated.of("", "\0", 5_000_000, ""))
                .add("metadata.jsonl", "{\"custom_id\":\"a.png\"}\n");
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(writer.toBytes()))) {
            assertEquals("a.png", zip.getNextEntry().getName());
            assertEquals(Images.png().length, zip.readAllBytes().length);
            ZipEntry big = zip.getNextEntry();
            assertEquals("big.bin", big.getName());
            assertEquals(5_000_000, zip.transferTo(java.io.OutputStream.nullOutputStream()));
            assertEquals("metadata.jsonl", zip.getNextEntry().getName());
            assertNull(zip.getNextEntry());
        }
        byte[] truncated = writer.truncated(0.5);
        assertThrows(IOException.class, () -> {
            try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(truncated))) {
                while (zip.getNextEntry() != null) {
                    zip.readAllBytes();
                }
            }
        });
    }

    @Test
    void decompressionBombsDeclareTheirPixelsInTinyFiles() throws IOException {
        assertDimensions(Images.pngBomb(100_000, 100_000), 100_000, 100_000);
        assertDimensions(Images.gifBomb(65_535, 65_535), 65_535, 65_535);
        assertDimensions(Images.jpegBomb(65_500, 65_500), 65_500, 65_500);
        java.nio.ByteBuffer bmp = java.nio.ByteBuffer.wrap(Images.bmpBomb(30_000, 30_000)).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        assertEquals(30_000, bmp.getInt(18)); // ImageIO refuses to read it at all: no pixel data for that size
        assertEquals(30_000, bmp.getInt(22));
        assertTrue(Images.pngBomb(100_000, 100_000).length < 200);
        assertEquals(32, ImageIO.read(new ByteArrayInputStream(Images.png())).getWidth());
    }

    private static void assertDimensions(byte[] image, int width, int height) throws IOException {
        try (InputStream bytes = new ByteArrayInputStream(image); ImageInputStream in = ImageIO.createImageInputStream(bytes)) {
            ImageReader reader = ImageIO.getImageReaders(in).next();
            reader.setInput(in);
            assertEquals(width, reader.getWidth(0));
            assertEquals(height, reader.getHeight(0));
            reader.dispose();
        }
    }
}
