package io.montage.worker.images;

import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

/**
 * PIL 9.4's {@code convert("L")} of a decoded image, and its {@code convert("RGB")} of a CMYK JPEG. (Its
 * {@code convert("RGB")} of anything else is nothing to compute: alpha and palettes are already gone from a
 * {@link DecodedImage}, and a grey plane is simply used for all three channels.)
 */
final class PilConvert {

    private PilConvert() {
    }

    /**
     * The luma plane: ITU-R 601-2 in PIL's fixed point, {@code (R·19595 + G·38470 + B·7471 + 0x8000) >> 16}
     * (libImaging's rgb2l), which can differ by one from rounding {@code 0.299 R + 0.587 G + 0.114 B}.
     */
    static byte[] luma(DecodedImage image) {
        byte[] rgb = image.samples();
        if (image.channels() == 1) {
            return rgb;
        }
        byte[] luma = new byte[image.width() * image.height()];
        for (int i = 0, at = 0; i < luma.length; i++, at += 3) {
            luma[i] = (byte) luma(rgb[at], rgb[at + 1], rgb[at + 2]);
        }
        return luma;
    }

    /** One pixel's luma, as {@link #luma(DecodedImage)} computes it. */
    static int luma(byte r, byte g, byte b) {
        return ((r & 0xFF) * 19595 + (g & 0xFF) * 38470 + (b & 0xFF) * 7471 + 0x8000) >> 16;
    }

    /**
     * A 4-component JPEG's decoded samples (libjpeg's CMYK, YCCK already converted) to RGB as PIL 9.4 makes
     * them: its JPEG plugin reads them as {@code CMYK;I} (inverted, the Adobe convention, whatever the file says),
     * and {@code convert("RGB")} is libImaging's cmyk2rgb, {@code nk − nk·c/255} per channel with
     * {@code nk = 255 − k} and PIL's rounded MULDIV255. Inverting first turns that into {@code k' − k'·(255 − c')/255}
     * on the stored values c' and k'.
     */
    static DecodedImage rgbOfJpegCmyk(MemorySegment cmyk, int width, int height) {
        int area = width * height;
        byte[] stored = cmyk.toArray(JAVA_BYTE);
        byte[] rgb = new byte[3 * area];
        for (int i = 0, from = 0, to = 0; i < area; i++, from += 4, to += 3) {
            int nk = stored[from + 3] & 0xFF;
            for (int c = 0; c < 3; c++) {
                int ink = 255 - (stored[from + c] & 0xFF);
                int product = ink * nk + 128;
                rgb[to + c] = (byte) (nk - (((product >> 8) + product) >> 8)); // within 0–255: no clipping needed
            }
        }
        return new DecodedImage(width, height, 3, rgb);
    }
}
