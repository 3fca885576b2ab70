package io.montage.worker.images;

import javax.imageio.spi.ImageReaderSpi;
import java.util.Optional;

/**
 * The formats Montage accepts, and what each needs beyond its ImageIO reader to see what PIL sees. Some readers
 * return whatever they decoded when the data ends early, with at most a warning, where PIL refuses the file ("image
 * file is truncated"): Montage checks their structure itself. The PNG and BMP readers throw on truncation, and
 * the PNG reader ignores colour profiles as PIL does.
 */
enum ImageFormat {

    JPEG("JPEG") {
        @Override
        boolean isComplete(byte[] data) {
            return JpegSegments.endsAfterScan(data);
        }

        @Override
        int exifOrientation(byte[] data) {
            return JpegSegments.exifOrientation(data);
        }

        @Override
        byte[] withoutColourProfile(byte[] data) {
            return JpegSegments.withoutIccProfiles(data);
        }
    },
    PNG("PNG"),
    GIF("GIF") {
        @Override
        boolean isComplete(byte[] data) {
            return GifBlocks.firstImageIsComplete(data);
        }
    },
    WEBP("WebP") {
        @Override
        boolean isComplete(byte[] data) {
            return WebpChunks.isComplete(data);
        }

        @Override
        byte[] withoutColourProfile(byte[] data) {
            return WebpChunks.withoutIccProfile(data);
        }
    },
    BMP("BMP");

    private final String label;

    ImageFormat(String label) {
        this.label = label;
    }

    /** The accepted format an ImageIO reader reads; empty for any other (TIFF, WBMP…: not part of the contract). */
    static Optional<ImageFormat> readBy(ImageReaderSpi reader) {
        for (ImageFormat format : values()) {
            for (String name : reader.getFormatNames()) {
                if (name.equalsIgnoreCase(format.label)) {
                    return Optional.of(format);
                }
            }
        }
        return Optional.empty();
    }

    /** The name tenants know the format by. */
    String label() {
        return label;
    }

    /** Whether the data holds the whole first image, not just the start of it. */
    boolean isComplete(byte[] data) {
        return true;
    }

    /**
     * The data without an embedded colour profile, for the readers that would convert the pixels to sRGB through
     * it: PIL ignores colour profiles, so the stored values are what a model was trained on.
     */
    byte[] withoutColourProfile(byte[] data) {
        return data;
    }

    /** The EXIF orientation (1–8) the image is stored with; 1 where this format carries none Montage reads. */
    int exifOrientation(byte[] data) {
        return 1;
    }
}
