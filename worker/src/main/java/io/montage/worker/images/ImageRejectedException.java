package io.montage.worker.images;

import io.montage.errors.MontageException;

import java.io.IOException;

/**
 * An image Montage cannot use, with a code the tenant's item fails with and a message saying what to send
 * instead. It concerns one input only: the rest of a batch goes on.
 */
public final class ImageRejectedException extends MontageException {

    public static final String TOO_LARGE = "image_too_large";
    public static final String TOO_MANY_PIXELS = "image_too_many_pixels";
    public static final String UNSUPPORTED_FORMAT = "unsupported_image_format";
    public static final String CORRUPT = "corrupt_image";

    private ImageRejectedException(int status, String code, String detail, Throwable cause) {
        super(status, code, detail);
        initCause(cause);
    }

    static ImageRejectedException tooLarge(int bytes, int maxBytes) {
        return new ImageRejectedException(413, TOO_LARGE, "the image is " + bytes + " bytes; at most " + maxBytes
                + " are accepted: send it smaller or more compressed", null);
    }

    static ImageRejectedException tooManyPixels(int width, int height, long maxPixels) {
        return new ImageRejectedException(413, TOO_MANY_PIXELS, "the image is " + width + "×" + height + " = "
                + (long) width * height + " pixels; at most " + maxPixels + " are accepted: downscale it first",
                null);
    }

    static ImageRejectedException tooElongated(int width, int height, int maxAspectRatio) {
        return new ImageRejectedException(413, TOO_MANY_PIXELS, "the image is " + width + "×" + height
                + ", elongated " + maxAspectRatio + ":1 or more, which takes too many pixels to resize:"
                + " crop it nearer to square first", null);
    }

    static ImageRejectedException unsupportedFormat() {
        return new ImageRejectedException(415, UNSUPPORTED_FORMAT,
                "the data is not a JPEG, PNG, WebP, GIF or BMP image: send one of those", null);
    }

    static ImageRejectedException corrupt(String format, Exception cause) {
        // a decoder's own report (an IOException) says what is wrong with the file; anything else is a decoder's
        // internal failure, whose message means nothing to the sender
        String why = cause instanceof IOException && cause.getMessage() != null ? " (" + cause.getMessage() + ")" : "";
        return new ImageRejectedException(422, CORRUPT, "the " + format + " image cannot be decoded" + why
                + "; it may be truncated or damaged: send the complete file", cause);
    }
}
