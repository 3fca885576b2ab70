package io.montage.attack.inputs;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.CheckedOutputStream;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;

/**
 * Content that is one piece repeated (the stuff of compression bombs: tens of megabytes of spaces in a few
 * kilobytes), compressed without ever holding the expanded form in memory.
 */
public record Repeated(byte[] head, byte[] piece, long times, byte[] tail) {

    /** Wraps the output a compressor writes into. */
    private interface Compressor {
        OutputStream around(OutputStream out) throws IOException;
    }

    public static Repeated of(String head, String piece, long times, String tail) {
        return new Repeated(bytes(head), bytes(piece), times, bytes(tail));
    }

    public long length() {
        return head.length + piece.length * times + tail.length;
    }

    /** The content itself, in memory: only for sizes a test can hold (tens of megabytes). */
    public byte[] expand() {
        return written(out -> out);
    }

    public byte[] gzip() {
        return written(out -> new GZIPOutputStream(out, 64 * 1024));
    }

    /** Raw deflate (no zlib header), as a zip entry holds it. */
    public byte[] deflateRaw() {
        return written(out -> new DeflaterOutputStream(out, new Deflater(Deflater.BEST_COMPRESSION, true), 64 * 1024));
    }

    /** zlib-wrapped deflate, as {@code Content-Encoding: deflate} means. */
    public byte[] deflateZlib() {
        return written(out -> new DeflaterOutputStream(out, new Deflater(Deflater.BEST_COMPRESSION), 64 * 1024));
    }

    public long crc32() {
        CRC32 crc = new CRC32();
        try (OutputStream out = new CheckedOutputStream(OutputStream.nullOutputStream(), crc)) {
            writeTo(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return crc.getValue();
    }

    private byte[] written(Compressor compressor) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream out = compressor.around(bytes)) {
            writeTo(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private void writeTo(OutputStream out) throws IOException {
        out.write(head);
        byte[] block = block();
        long full = times * piece.length / Math.max(1, block.length);
        for (long i = 0; i < full; i++) {
            out.write(block);
        }
        out.write(block, 0, (int) (times * piece.length - full * block.length));
        out.write(tail);
    }

    /** The piece repeated into a block of about 64 KiB (a whole number of pieces). */
    private byte[] block() {
        if (piece.length == 0) {
            return new byte[0];
        }
        int per = Math.max(1, 64 * 1024 / piece.length);
        byte[] block = new byte[per * piece.length];
        for (int i = 0; i < per; i++) {
            System.arraycopy(piece, 0, block, i * piece.length, piece.length);
        }
        return block;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
