package io.montage.worker.images;

/**
 * PIL 9.4's {@code convert("L")} of a decoded image. (Its {@code convert("RGB")} is nothing to compute: alpha and
 * palettes are already gone from a {@link DecodedImage}, and a grey plane is simply used for all three channels.)
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
}
