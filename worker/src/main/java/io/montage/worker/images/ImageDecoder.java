package io.montage.worker.images;

import jakarta.inject.Singleton;

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
 * image can be bad ends in an {@link ImageRejectedException} for that image alone. Thread-safe.
 */
@Singleton
public final class ImageDecoder {

    private final ImageLimits limits;

    public ImageDecoder(ImageLimits limits) {
        this.limits = limits;
    }

    /** @throws ImageRejectedException when the image is too large, in no accepted format, or damaged */
    public DecodedImage decode(byte[] encoded) {
        if (encoded.length > limits.maxBytes()) {
            throw ImageRejectedException.tooLarge(encoded.length, limits.maxBytes());
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
