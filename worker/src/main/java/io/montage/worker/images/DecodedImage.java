package io.montage.worker.images;

/**
 * An image's pixels as PIL holds them after {@code convert("L")} or {@code convert("RGB")} would still be exact:
 * 8-bit samples, row by row, the channels of a pixel side by side (R, G, B), as libjpeg-turbo writes them and PIL
 * stores them. Grey images have one channel (PIL's L), everything else three. Alpha is gone: PIL's conversions to
 * L and RGB drop it without compositing, and so does Montage. Samples are never modified once built.
 */
public final class DecodedImage {

    private final int width;
    private final int height;
    private final int channels;
    private final byte[] samples;

    DecodedImage(int width, int height, int channels, byte[] samples) {
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException("an image has 1 or 3 channels, not " + channels);
        }
        if (samples.length != (long) width * height * channels) {
            throw new IllegalArgumentException("a " + width + "×" + height + "×" + channels + " image cannot hold "
                    + samples.length + " samples");
        }
        this.width = width;
        this.height = height;
        this.channels = channels;
        this.samples = samples;
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    /** 1 for a grey image, 3 for a colour one. */
    public int channels() {
        return channels;
    }

    /**
     * The samples (0–255 as unsigned bytes): channel c of pixel (x, y) at {@code (y · width + x) · channels + c}.
     * Callers must not modify it.
     */
    byte[] samples() {
        return samples;
    }
}
