package io.montage.worker.images;

/**
 * Walks a GIF's blocks up to the end of its first image. When the data ends early, ImageIO's GIF reader returns
 * what it decoded and reports nothing, where PIL refuses the file.
 */
final class GifBlocks {

    private static final int HEADER_AND_SCREEN_DESCRIPTOR = 13;
    private static final int EXTENSION = 0x21;
    private static final int IMAGE_DESCRIPTOR = 0x2C;
    private static final int IMAGE_DESCRIPTOR_LENGTH = 10;
    private static final int HAS_COLOR_TABLE = 0x80;

    private GifBlocks() {
    }

    /** Whether the data reaches the block terminator of the first image's pixel data. */
    static boolean firstImageIsComplete(byte[] gif) {
        if (gif.length < HEADER_AND_SCREEN_DESCRIPTOR) {
            return false;
        }
        int pos = HEADER_AND_SCREEN_DESCRIPTOR + colorTableLength(gif[10]);
        while (pos < gif.length) {
            switch (gif[pos] & 0xFF) {
                case EXTENSION -> pos = afterSubBlocks(gif, pos + 2); // introducer, label, then sub-blocks
                case IMAGE_DESCRIPTOR -> {
                    if (pos + IMAGE_DESCRIPTOR_LENGTH > gif.length) {
                        return false;
                    }
                    pos += IMAGE_DESCRIPTOR_LENGTH + colorTableLength(gif[pos + 9]);
                    return afterSubBlocks(gif, pos + 1) <= gif.length; // after the LZW minimum code size
                }
                default -> {
                    return false; // the trailer, or junk: no first image to speak of
                }
            }
        }
        return false;
    }

    private static int colorTableLength(byte flags) {
        return (flags & HAS_COLOR_TABLE) == 0 ? 0 : 3 << ((flags & 0x07) + 1);
    }

    /** The offset after the terminator of the sub-blocks starting at {@code pos}; past the end if there is none. */
    private static int afterSubBlocks(byte[] gif, int pos) {
        while (pos < gif.length) {
            int size = gif[pos] & 0xFF;
            if (size == 0) {
                return pos + 1;
            }
            pos += size + 1;
        }
        return gif.length + 1;
    }
}
