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
        if (image.channels() == 1) {
            return image.plane(0);
        }
        byte[] r = image.plane(0);
        byte[] g = image.plane(1);
        byte[] b = image.plane(2);
        byte[] luma = new byte[r.length];
        for (int i = 0; i < luma.length; i++) {
            luma[i] = (byte) (((r[i] & 0xFF) * 19595 + (g[i] & 0xFF) * 38470 + (b[i] & 0xFF) * 7471 + 0x8000) >> 16);
        }
        return luma;
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
        byte[][] planes = new byte[3][area];
        for (int i = 0; i < area; i++) {
            long at = 4L * i;
            int nk = cmyk.get(JAVA_BYTE, at + 3) & 0xFF;
            for (int c = 0; c < 3; c++) {
                int ink = 255 - (cmyk.get(JAVA_BYTE, at + c) & 0xFF);
                int product = ink * nk + 128;
                planes[c][i] = (byte) (nk - (((product >> 8) + product) >> 8)); // within 0–255: no clipping needed
            }
        }
        return new DecodedImage(width, height, planes);
    }
}
