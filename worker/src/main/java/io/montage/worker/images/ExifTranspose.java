package io.montage.worker.images;

/**
 * Turns an image stored with an EXIF orientation the way it is meant to be seen, like PIL's
 * {@code ImageOps.exif_transpose}: 2 mirrors, 3 turns 180°, 4 flips, 5 transposes, 6 turns 90° clockwise,
 * 7 transverses, 8 turns 90° counter-clockwise. 5–8 swap width and height.
 */
final class ExifTranspose {

    private ExifTranspose() {
    }

    static DecodedImage apply(DecodedImage image, int orientation) {
        if (orientation <= 1 || orientation > 8) {
            return image;
        }
        int width = image.width();
        int height = image.height();
        boolean swaps = orientation >= 5;
        int outWidth = swaps ? height : width;
        int outHeight = swaps ? width : height;
        // The source pixel of output pixel (x, y) is origin + x * stepX + y * stepY.
        int last = width * height - 1;
        int bottomLeft = (height - 1) * width;
        int origin = switch (orientation) {
            case 2, 8 -> width - 1;
            case 3, 7 -> last;
            case 4, 6 -> bottomLeft;
            default -> 0;
        };
        int stepX = switch (orientation) {
            case 2, 3 -> -1;
            case 4 -> 1;
            case 5, 8 -> width;
            default -> -width; // 6, 7
        };
        int stepY = switch (orientation) {
            case 2 -> width;
            case 3, 4 -> -width;
            case 5, 6 -> 1;
            default -> -1; // 7, 8
        };
        int channels = image.channels();
        byte[] source = image.samples();
        byte[] samples = new byte[source.length];
        for (int y = 0, at = 0; y < outHeight; y++) {
            for (int x = 0, from = origin + y * stepY; x < outWidth; x++, from += stepX) {
                for (int c = 0; c < channels; c++) {
                    samples[at++] = source[from * channels + c];
                }
            }
        }
        return new DecodedImage(outWidth, outHeight, channels, samples);
    }
}
