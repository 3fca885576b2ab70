package io.montage.worker.images;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

/**
 * Which decoder serves JPEGs (montage.inference.jpeg-decoder). Both give PIL's pixels bit for bit on every JPEG
 * tested (docs/decisions/0012-native-jpeg-decoding.md); libjpeg-turbo is several times faster.
 *
 * @param jpegDecoder {@code auto}: libjpeg-turbo when libturbojpeg is installed, else the Java decoder;
 *                    {@code native}: libjpeg-turbo, and the worker does not start without it; {@code java}: the
 *                    JDK's decoder behind ImageIO
 */
@ConfigurationProperties("montage.inference")
public record JpegDecoding(@Bindable(defaultValue = "auto") Choice jpegDecoder) {

    public static final JpegDecoding AUTO = new JpegDecoding(Choice.AUTO);

    public JpegDecoding {
        if (jpegDecoder == null) {
            throw new IllegalArgumentException("montage.inference.jpeg-decoder must be auto, native or java");
        }
    }

    public enum Choice {
        AUTO, NATIVE, JAVA
    }
}
