package io.montage.worker.images;

/**
 * An image's pixels as PIL holds them after {@code convert("L")} or {@code convert("RGB")} would still be exact:
 * one plane of 8-bit samples per channel, row by row. Grey images have one plane (PIL's L), everything else three
 * (R, G, B). Alpha is gone: PIL's conversions to L and RGB drop it without compositing, and so does Montage.
 * Planes are never modified once built.
 */
public final class DecodedImage {

    private final int width;
    private final int height;
    private final byte[][] planes;

    DecodedImage(int width, int height, byte[][] planes) {
        if (planes.length != 1 && planes.length != 3) {
            throw new IllegalArgumentException("an image has 1 or 3 planes, not " + planes.length);
        }
        for (byte[] plane : planes) {
            if (plane.length != width * height) {
                throw new IllegalArgumentException("a " + width + "×" + height + " plane cannot hold " + plane.length
                        + " samples");
            }
        }
        this.width = width;
        this.height = height;
        this.planes = planes;
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    /** 1 for a grey image, 3 for a colour one. */
    public int channels() {
        return planes.length;
    }

    /** Channel {@code channel}'s samples (0–255 as unsigned bytes), row by row. Callers must not modify it. */
    byte[] plane(int channel) {
        return planes[channel];
    }
}
