package io.montage.json;

import io.montage.errors.MontageException;

import java.io.IOException;
import java.io.InputStream;

/**
 * Checks that bytes are well-formed UTF-8 (Unicode's table 3-7), as JSON sent between systems must be (RFC 8259),
 * before jackson-core reads them. jackson-core decodes too leniently for stored text: it takes overlong forms
 * ({@code C0 AF} reads as '/', {@code C0 80} as NUL), so a filter over the decoded text can be walked around, and it
 * detects UTF-16 and UTF-32 from the first bytes and reads them. A zero byte is refused too: JSON text never holds
 * one raw (NUL in a string must be escaped), and it is the first sign of UTF-16. A UTF-16 surrogate written as UTF-8
 * bytes ({@code ED A0 80}) is refused as {@code invalid_unicode}, as the same surrogate escaped is. The check keeps
 * its state between calls, so bytes may arrive in pieces.
 */
final class StrictUtf8 {

    private final String what;
    private long offset;
    /** The first byte of the sequence being read, and how many continuation bytes it still needs. */
    private int lead;
    private long leadAt;
    private int needed;
    /** The range the next continuation byte must be in (narrower after some first bytes). */
    private int low = 0x80;
    private int high = 0xBF;

    StrictUtf8(String what) {
        this.what = what;
    }

    /** A stream that checks every byte read through it; the check throws from {@code read}. */
    static InputStream checking(InputStream in, String what) {
        StrictUtf8 check = new StrictUtf8(what);
        return new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
            }

            @Override
            public int read(byte[] bytes, int off, int len) throws IOException {
                int n = in.read(bytes, off, len);
                if (n < 0) {
                    check.end();
                } else {
                    check.feed(bytes, off, n);
                }
                return n;
            }

            @Override
            public void close() throws IOException {
                in.close();
            }
        };
    }

    void feed(byte[] bytes, int off, int len) {
        for (int i = off; i < off + len; i++, offset++) {
            int c = bytes[i] & 0xFF;
            if (needed > 0) {
                continuation(c);
            } else if (c == 0 || c >= 0x80) {
                first(c);
            }
        }
    }

    /** The end of the bytes: a sequence left open is cut short. */
    void end() {
        if (needed > 0) {
            throw refused(leadAt, "a UTF-8 sequence cut short by the end");
        }
    }

    private void first(int c) {
        lead = c;
        leadAt = offset;
        if (c == 0) {
            throw refused(offset, "a zero byte, which JSON text never holds (" + (offset < 4 ? "this looks like "
                    + "UTF-16 or UTF-32" : "a NUL in a string is written \\u0000") + ")");
        } else if (c < 0xC0) {
            throw refused(offset, "a continuation byte (0x" + Integer.toHexString(c).toUpperCase() + ") where a "
                    + "character starts");
        } else if (c < 0xC2) {
            throw overlong();
        } else if (c < 0xE0) {
            needed = 1;
        } else if (c < 0xF0) {
            needed = 2;
            low = c == 0xE0 ? 0xA0 : 0x80;
            high = c == 0xED ? 0x9F : 0xBF;
        } else if (c < 0xF5) {
            needed = 3;
            low = c == 0xF0 ? 0x90 : 0x80;
            high = c == 0xF4 ? 0x8F : 0xBF;
        } else {
            throw refused(offset, "the byte 0x" + Integer.toHexString(c).toUpperCase() + ", which UTF-8 never uses"
                    + (offset < 2 && c >= 0xFE ? " (a UTF-16 byte order mark starts with it)" : ""));
        }
    }

    private void continuation(int c) {
        if (c >= low && c <= high) {
            needed--;
            low = 0x80;
            high = 0xBF;
            return;
        }
        if (c < 0x80 || c > 0xBF) {
            throw refused(leadAt, "a UTF-8 sequence cut short by the byte after it");
        }
        if (lead == 0xED) {
            throw MontageException.invalid("invalid_unicode", what + " holds a UTF-16 surrogate written as UTF-8 "
                    + "bytes at byte " + leadAt + "; send the character itself, UTF-8 encoded (a surrogate is only "
                    + "valid as half of a pair in \\u escapes)");
        }
        throw lead == 0xF4 ? refused(leadAt, "a UTF-8 sequence beyond U+10FFFF, the last Unicode character")
                : overlong();
    }

    private MontageException overlong() {
        return refused(leadAt, "an overlong UTF-8 sequence (a character in more bytes than it needs, like C0 AF "
                + "for '/')");
    }

    private MontageException refused(long at, String reason) {
        return new MontageException(400, "invalid_json", what + " is not valid UTF-8: at byte " + at + ", " + reason
                + "; send JSON as UTF-8, each character in its shortest form");
    }
}
