package io.montage.worker.images;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.Optional;

/**
 * Encoded image bytes (JPEG, PNG, WebP, GIF's first frame, BMP) to the pixels PIL would see, EXIF orientation
 * applied. Within the limits only: the byte count is checked before anything is parsed, and the pixel count the
 * header declares before any pixel memory is allocated, so a decompression bomb costs nothing. Every way an
 * image can be bad ends in an {@link ImageRejectedException} for that image alone. JPEGs go to libjpeg-turbo
 * when it is there and chosen ({@link JpegDecoding}), everything else to ImageIO. Thread-safe.
 */
@Singleton
public final class ImageDecoder {

    private static final Logger LOG = LoggerFactory.getLogger(ImageDecoder.class);

    private final ImageLimits limits;
    /** Null when JPEGs go through ImageIO like the other formats. */
    private final NativeJpegDecoder nativeJpeg;

    /** With {@code montage.inference.jpeg-decoder} at its default, auto. */
    public ImageDecoder(ImageLimits limits) {
        this(limits, JpegDecoding.AUTO);
    }

    /** @throws IllegalStateException when the native decoder is demanded but libturbojpeg cannot be loaded */
    @Inject
    public ImageDecoder(ImageLimits limits, JpegDecoding jpeg) {
        this.limits = limits;
        TurboJpeg.Availability turbo = jpeg.jpegDecoder() == JpegDecoding.Choice.JAVA
                ? new TurboJpeg.Availability(Optional.empty(), "montage.inference.jpeg-decoder is java")
                : TurboJpeg.availability();
        if (turbo.library().isEmpty() && jpeg.jpegDecoder() == JpegDecoding.Choice.NATIVE) {
            throw new IllegalStateException("montage.inference.jpeg-decoder is native, but " + TurboJpeg.LIBRARY
                    + " cannot be used (" + turbo.whyNot() + "): install libturbojpeg0 (deploy/local/setup-jpeg.sh)"
                    + " or choose auto or java");
        }
        nativeJpeg = turbo.library().map(library -> new NativeJpegDecoder(library, limits)).orElse(null);
        if (nativeJpeg != null) {
            LOG.info("JPEGs are decoded by libjpeg-turbo ({})", TurboJpeg.LIBRARY);
        } else {
            LOG.info("JPEGs are decoded by the JDK's decoder: {}", turbo.whyNot());
        }
    }

    /** @throws ImageRejectedException when the image is too large, in no accepted format, or damaged */
    public DecodedImage decode(byte[] encoded) {
        if (encoded.length > limits.maxBytes()) {
            throw ImageRejectedException.tooLarge(encoded.length, limits.maxBytes());
        }
        if (nativeJpeg != null && JpegSegments.isJpeg(encoded)) {
            Optional<DecodedImage> image = nativeJpeg.decode(encoded);
            if (image.isPresent()) {
                return ExifTranspose.apply(image.get(), JpegSegments.exifOrientation(encoded));
            }
        }
        FormatReader found = readerFor(encoded);
        try {
            byte[] stored = found.format().withoutColourProfile(encoded);
            DecodedImage image = decode(found.reader(), found.format(), stored);
            return ExifTranspose.apply(image, found.format().exifOrientation(stored));
        } finally {
            found.reader().dispose();
        }
    }

    private record FormatReader(ImageFormat format, ImageReader reader) {
    }

    private static FormatReader readerFor(byte[] encoded) {
        try (ImageInputStream input = inMemory(encoded)) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(input);
            while (readers.hasNext()) {
                ImageReader reader = readers.next();
                Optional<ImageFormat> format = ImageFormat.readBy(reader.getOriginatingProvider());
                if (format.isPresent()) {
                    return new FormatReader(format.get(), reader);
                }
                reader.dispose();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("closing an in-memory stream failed", e);
        }
        throw ImageRejectedException.unsupportedFormat();
    }

    private DecodedImage decode(ImageReader reader, ImageFormat format, byte[] stored) {
        try (ImageInputStream input = inMemory(stored)) {
            reader.setInput(input, true, true); // no metadata: what Montage needs of it, it reads itself
            int width = reader.getWidth(0);
            int height = reader.getHeight(0);
            if ((long) width * height > limits.maxPixels()) {
                throw ImageRejectedException.tooManyPixels(width, height, limits.maxPixels());
            }
            if (!format.isComplete(stored)) {
                throw new IOException("the data ends early");
            }
            return StoredSamples.of(reader.read(0));
        } catch (ImageRejectedException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            // readers throw what they like on damaged data: IIOException, but also IndexOutOfBounds and friends
            throw ImageRejectedException.corrupt(format.label(), e);
        }
    }

    /** In memory: ImageIO.createImageInputStream would cache in temporary files. */
    private static ImageInputStream inMemory(byte[] data) {
        return new MemoryCacheImageInputStream(new ByteArrayInputStream(data));
    }
}
