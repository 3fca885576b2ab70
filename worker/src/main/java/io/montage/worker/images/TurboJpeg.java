package io.montage.worker.images;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.util.Optional;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The six functions of libjpeg-turbo's TurboJPEG API (turbojpeg.h, API 2.x as in Debian 12's libturbojpeg0
 * 2.1.5) that decoding needs, bound through the Foreign Function &amp; Memory API. Hand-written because it is the
 * whole binding: no maintained Java wrapper of libjpeg-turbo is on the project's mirror, and TurboJPEG's own Java
 * classes need a JNI build of the library that Debian does not ship. Thread-safe; a {@code tjhandle} is not, so
 * each decode makes its own ({@link NativeJpegDecoder}).
 */
final class TurboJpeg {

    /** The library's soname: the ABI, not a particular build. */
    static final String LIBRARY = "libturbojpeg.so.0";

    static final int CS_RGB = 0;
    static final int CS_YCBCR = 1;
    static final int CS_GRAY = 2;
    static final int CS_CMYK = 3;
    static final int CS_YCCK = 4;

    static final int PF_RGB = 0;
    static final int PF_GRAY = 6;
    static final int PF_CMYK = 11;

    /** TJFLAG_ACCURATEDCT: the ISLOW inverse DCT, which is also libjpeg's and so Pillow's default. */
    static final int FLAG_ACCURATE_DCT = 4096;
    /** TJFLAG_LIMITSCANS: refuse progressive files of more than 500 scans, whose decoding cost is unbounded. */
    static final int FLAG_LIMIT_SCANS = 32768;
    /** tjGetErrorCode's answer when the image was decoded despite damage (as libjpeg, and so PIL, goes on). */
    static final int ERROR_WARNING = 0;

    private final MethodHandle initDecompress;
    private final MethodHandle decompressHeader3;
    private final MethodHandle decompress2;
    private final MethodHandle destroy;
    private final MethodHandle errorString;
    private final MethodHandle errorCode;

    private TurboJpeg(SymbolLookup library) {
        Linker linker = Linker.nativeLinker();
        initDecompress = bind(linker, library, "tjInitDecompress", FunctionDescriptor.of(ADDRESS));
        // (handle, jpegBuf, unsigned long jpegSize, int *width, int *height, int *subsamp, int *colorspace)
        decompressHeader3 = bind(linker, library, "tjDecompressHeader3",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG, ADDRESS, ADDRESS, ADDRESS, ADDRESS));
        // (handle, jpegBuf, jpegSize, dstBuf, width, pitch, height, pixelFormat, flags)
        decompress2 = bind(linker, library, "tjDecompress2", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS,
                JAVA_LONG, ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
        destroy = bind(linker, library, "tjDestroy", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        errorString = bind(linker, library, "tjGetErrorStr2", FunctionDescriptor.of(ADDRESS, ADDRESS));
        errorCode = bind(linker, library, "tjGetErrorCode", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    }

    /** Loaded once per process; stays loaded (the global arena), as its symbols are called until the end. */
    private static final Availability AVAILABILITY = load();

    /** The library, or why it cannot be used. */
    record Availability(Optional<TurboJpeg> library, String whyNot) {
    }

    static Availability availability() {
        return AVAILABILITY;
    }

    private static Availability load() {
        try {
            return new Availability(Optional.of(new TurboJpeg(SymbolLookup.libraryLookup(LIBRARY, Arena.global()))),
                    "");
        } catch (IllegalArgumentException | IllegalCallerException e) {
            // not installed, a build without a function Montage calls, or native access denied to this code
            return new Availability(Optional.empty(), e.getMessage());
        }
    }

    private static MethodHandle bind(Linker linker, SymbolLookup library, String name, FunctionDescriptor type) {
        MemorySegment symbol = library.find(name)
                .orElseThrow(() -> new IllegalArgumentException(LIBRARY + " has no " + name));
        return linker.downcallHandle(symbol, type);
    }

    /** A new decompressor; {@link MemorySegment#NULL} if the library could not allocate one. */
    MemorySegment initDecompress() {
        try {
            return (MemorySegment) initDecompress.invokeExact();
        } catch (Throwable e) {
            throw failure(e);
        }
    }

    int decompressHeader3(MemorySegment handle, MemorySegment jpeg, MemorySegment width, MemorySegment height,
                          MemorySegment subsampling, MemorySegment colourspace) {
        try {
            return (int) decompressHeader3.invokeExact(handle, jpeg, jpeg.byteSize(), width, height, subsampling,
                    colourspace);
        } catch (Throwable e) {
            throw failure(e);
        }
    }

    int decompress2(MemorySegment handle, MemorySegment jpeg, MemorySegment pixels, int width, int height,
                    int pixelFormat, int flags) {
        try {
            return (int) decompress2.invokeExact(handle, jpeg, jpeg.byteSize(), pixels, width, 0, height,
                    pixelFormat, flags);
        } catch (Throwable e) {
            throw failure(e);
        }
    }

    void destroy(MemorySegment handle) {
        try {
            int ignored = (int) destroy.invokeExact(handle);
        } catch (Throwable e) {
            throw failure(e);
        }
    }

    /** The library's message for the handle's last error (libjpeg's own words about the file). */
    String errorString(MemorySegment handle) {
        try {
            MemorySegment message = (MemorySegment) errorString.invokeExact(handle);
            return message.equals(MemorySegment.NULL) ? "unknown error" : message.reinterpret(1024).getString(0);
        } catch (Throwable e) {
            throw failure(e);
        }
    }

    int errorCode(MemorySegment handle) {
        try {
            return (int) errorCode.invokeExact(handle);
        } catch (Throwable e) {
            throw failure(e);
        }
    }

    /** invokeExact declares Throwable; a downcall itself throws only on a mismatched signature, a bug here. */
    private static IllegalStateException failure(Throwable e) {
        if (e instanceof Error error) {
            throw error;
        }
        return new IllegalStateException("calling " + LIBRARY + " failed", e);
    }
}
