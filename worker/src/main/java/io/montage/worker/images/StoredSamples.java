package io.montage.worker.images;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.DirectColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.util.Arrays;

/**
 * Turns what an ImageIO reader decoded into the samples PIL would hold: the stored values, not colour-managed
 * ones (PIL ignores ICC profiles and PNG gamma), palette indices looked up, alpha dropped. 16-bit samples become
 * 8-bit as PIL's PNG plugin makes them: colour and grey-with-alpha keep the high byte, while plain 16-bit grey
 * opens as PIL's mode I, whose conversion to L or RGB clips at 255.
 */
final class StoredSamples {

    private StoredSamples() {
    }

    static DecodedImage of(BufferedImage image) {
        ColorModel model = image.getColorModel();
        Raster raster = image.getRaster();
        if (model instanceof IndexColorModel palette) {
            return lookedUp(raster, palette);
        }
        int colours = model.getNumColorComponents();
        int bits = model.getComponentSize(0);
        boolean plainSamples = (model instanceof ComponentColorModel || model instanceof DirectColorModel)
                && (bits == 8 || bits == 16) && sameSizes(model);
        int spaceType = model.getColorSpace().getType();
        if (plainSamples && spaceType == ColorSpace.TYPE_GRAY && colours == 1) {
            int shift = bits == 16 && model.hasAlpha() ? 8 : 0;
            return stored(raster, 1, shift);
        }
        if (plainSamples && spaceType == ColorSpace.TYPE_RGB && colours == 3) {
            return stored(raster, 3, bits - 8);
        }
        // anything else (5- or 6-bit BMP channels, say): Java's own conversion to sRGB is the best there is
        return converted(image);
    }

    private static boolean sameSizes(ColorModel model) {
        for (int size : model.getComponentSize()) {
            if (size != model.getComponentSize(0)) {
                return false;
            }
        }
        return true;
    }

    /**
     * The first {@code channels} bands, shifted right by {@code shift}; whatever is still above 255 (16-bit grey
     * without alpha) is clipped, as PIL's mode I conversions do.
     */
    private static DecodedImage stored(Raster raster, int channels, int shift) {
        int width = raster.getWidth();
        int height = raster.getHeight();
        int bands = raster.getNumBands();
        byte[] samples = new byte[width * height * channels];
        int[] row = new int[width * bands];
        for (int y = 0, at = 0; y < height; y++) {
            raster.getPixels(0, y, width, 1, row);
            if (bands == channels) { // the usual case (no alpha to drop): one flat loop
                for (int i = 0; i < row.length; i++) {
                    samples[at++] = (byte) Math.min(row[i] >> shift, 255);
                }
                continue;
            }
            for (int x = 0, i = 0; x < width; x++, i += bands) {
                for (int c = 0; c < channels; c++) {
                    samples[at++] = (byte) Math.min(row[i + c] >> shift, 255);
                }
            }
        }
        return new DecodedImage(width, height, channels, samples);
    }

    /** Palette images become their colours, and stay one grey plane when the palette is grey. */
    private static DecodedImage lookedUp(Raster raster, IndexColorModel palette) {
        int size = palette.getMapSize();
        byte[][] colours = new byte[3][size];
        palette.getReds(colours[0]);
        palette.getGreens(colours[1]);
        palette.getBlues(colours[2]);
        boolean grey = Arrays.equals(colours[0], colours[1]) && Arrays.equals(colours[0], colours[2]);
        int channels = grey ? 1 : 3;
        int width = raster.getWidth();
        int height = raster.getHeight();
        byte[] samples = new byte[width * height * channels];
        int[] row = new int[width];
        for (int y = 0, at = 0; y < height; y++) {
            raster.getSamples(0, y, width, 1, 0, row);
            for (int x = 0; x < width; x++) {
                for (int c = 0; c < channels; c++) {
                    // an index past the palette's end (a malformed file) reads as black rather than failing
                    samples[at++] = row[x] < size ? colours[c][row[x]] : 0;
                }
            }
        }
        return new DecodedImage(width, height, channels, samples);
    }

    private static DecodedImage converted(BufferedImage image) {
        int width = image.getWidth();
        int height = image.getHeight();
        byte[] samples = new byte[width * height * 3];
        int[] row = new int[width];
        for (int y = 0, at = 0; y < height; y++) {
            image.getRGB(0, y, width, 1, row, 0, width);
            for (int x = 0; x < width; x++) {
                samples[at++] = (byte) (row[x] >> 16);
                samples[at++] = (byte) (row[x] >> 8);
                samples[at++] = (byte) row[x];
            }
        }
        return new DecodedImage(width, height, 3, samples);
    }
}
