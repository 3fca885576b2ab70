package io.montage.worker.images;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Optional;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * JPEG to the samples PIL 9.4 holds, through libjpeg-turbo, the very library Pillow decodes with, and with
 * Pillow's settings: ISLOW inverse DCT, fancy upsampling, no draft (DCT scaling); grey stays one plane, YCbCr and
 * RGB files come out RGB, and CMYK/YCCK files come out as PIL's CMYK → RGB conversion makes them. The EXIF
 * orientation and the completeness check stay the caller's, as for every format. Thread-safe: each decode has
 * its own tjhandle and its own confined arena, which frees the file's copy and the pixels the moment the decode
 * ends, so native memory is at most (file + 4 × the pixel limit) per decoding thread. libjpeg-turbo writes RGB
 * interleaved, which is DecodedImage's layout: the pixels reach the heap in one bulk copy.
 */
final class NativeJpegDecoder {

    private final TurboJpeg library;
    private final ImageLimits limits;

    NativeJpegDecoder(TurboJpeg library, ImageLimits limits) {
        this.library = library;
        this.limits = limits;
    }

    /**
     * The image; empty when libjpeg-turbo cannot even read its header (a damaged file, or a sampling layout
     * TurboJPEG does not classify), for the Java decoder to judge.
     *
     * @throws ImageRejectedException when it declares too many pixels, is truncated or is damaged past decoding
     */
    Optional<DecodedImage> decode(byte[] jpeg) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment handle = library.initDecompress();
            if (handle.equals(MemorySegment.NULL)) {
                throw new OutOfMemoryError("libturbojpeg could not allocate a decompressor");
            }
            try {
                return decode(arena, handle, jpeg);
            } finally {
                library.destroy(handle);
            }
        }
    }

    private Optional<DecodedImage> decode(Arena arena, MemorySegment handle, byte[] jpeg) {
        MemorySegment data = arena.allocate(jpeg.length);
        MemorySegment.copy(jpeg, 0, data, JAVA_BYTE, 0, jpeg.length);
        MemorySegment header = arena.allocate(JAVA_INT, 4); // width, height, subsampling, colourspace
        if (library.decompressHeader3(handle, data, header, header.asSlice(4), header.asSlice(8),
                header.asSlice(12)) != 0) {
            return Optional.empty();
        }
        int width = header.getAtIndex(JAVA_INT, 0);
        int height = header.getAtIndex(JAVA_INT, 1);
        int colourspace = header.getAtIndex(JAVA_INT, 3);
        if ((long) width * height > limits.maxPixels()) {
            throw ImageRejectedException.tooManyPixels(width, height, limits.maxPixels());
        }
        if (!JpegSegments.endsAfterScan(jpeg)) {
            throw corrupt("the data ends early");
        }
        int format = switch (colourspace) {
            case TurboJpeg.CS_GRAY -> TurboJpeg.PF_GRAY;
            case TurboJpeg.CS_CMYK, TurboJpeg.CS_YCCK -> TurboJpeg.PF_CMYK;
            default -> TurboJpeg.PF_RGB; // YCbCr and RGB
        };
        int bytesPerPixel = switch (format) {
            case TurboJpeg.PF_GRAY -> 1;
            case TurboJpeg.PF_CMYK -> 4;
            default -> 3;
        };
        MemorySegment pixels = arena.allocate((long) width * height * bytesPerPixel);
        int flags = TurboJpeg.FLAG_ACCURATE_DCT | TurboJpeg.FLAG_LIMIT_SCANS;
        if (library.decompress2(handle, data, pixels, width, height, format, flags) != 0
                && library.errorCode(handle) != TurboJpeg.ERROR_WARNING) {
            throw corrupt(library.errorString(handle));
        }
        return Optional.of(format == TurboJpeg.PF_CMYK
                ? PilConvert.rgbOfJpegCmyk(pixels, width, height)
                : new DecodedImage(width, height, bytesPerPixel, pixels.toArray(JAVA_BYTE)));
    }

    private static ImageRejectedException corrupt(String why) {
        return ImageRejectedException.corrupt(ImageFormat.JPEG.label(), new IOException(why));
    }
}
