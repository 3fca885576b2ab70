package io.montage.attack.inputs;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;

/**
 * Writes zip archives byte by byte (local headers, central directory, end record), because hostile archives need
 * what java.util.zip will not write: any bytes as entry names, unknown compression methods, and entries whose
 * expanded size is far larger than anything held in memory here.
 */
public final class ZipWriter {

    private static final int STORED = 0;
    private static final int DEFLATED = 8;

    private record Entry(byte[] name, int method, byte[] data, long crc, long size, int offset) {
    }

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final List<Entry> entries = new ArrayList<>();

    /** An entry of these bytes, deflated. */
    public ZipWriter add(String name, byte[] content) {
        CRC32 crc = new CRC32();
        crc.update(content);
        return add(name.getBytes(StandardCharsets.UTF_8), DEFLATED,
                new Repeated(content, new byte[0], 0, new byte[0]).deflateRaw(), crc.getValue(), content.length);
    }

    public ZipWriter add(String name, String content) {
        return add(name, content.getBytes(StandardCharsets.UTF_8));
    }

    /** An entry that expands to {@code content} (possibly gigabytes), deflated. */
    public ZipWriter add(String name, Repeated content) {
        return add(name.getBytes(StandardCharsets.UTF_8), DEFLATED, content.deflateRaw(), content.crc32(), content.length());
    }

    /** An entry stored with a compression method code of the caller's choosing (its data as given). */
    public ZipWriter addWithMethod(String name, int method, byte[] data) {
        CRC32 crc = new CRC32();
        crc.update(data);
        return add(name.getBytes(StandardCharsets.UTF_8), method, data, crc.getValue(), data.length);
    }

    /** An entry whose name is these bytes exactly (NUL, invalid UTF-8…), stored uncompressed. */
    public ZipWriter addRawName(byte[] name, byte[] content) {
        CRC32 crc = new CRC32();
        crc.update(content);
        return add(name, STORED, content, crc.getValue(), content.length);
    }

    private ZipWriter add(byte[] name, int method, byte[] data, long crc, long size) {
        int offset = out.size();
        ByteBuffer header = le(30 + name.length);
        header.putInt(0x04034b50).putShort((short) 20).putShort((short) 0x0800).putShort((short) method)
                .putShort((short) 0).putShort((short) 0x21).putInt((int) crc).putInt(data.length)
                .putInt((int) Math.min(size, 0xFFFFFFFFL)).putShort((short) name.length).putShort((short) 0).put(name);
        out.writeBytes(header.array());
        out.writeBytes(data);
        entries.add(new Entry(name, method, data, crc, size, offset));
        return this;
    }

    public byte[] toBytes() {
        int directoryStart = out.size();
        ByteArrayOutputStream directory = new ByteArrayOutputStream();
        for (Entry e : entries) {
            ByteBuffer record = le(46 + e.name().length);
            record.putInt(0x02014b50).putShort((short) 20).putShort((short) 20).putShort((short) 0x0800)
                    .putShort((short) e.method()).putShort((short) 0).putShort((short) 0x21).putInt((int) e.crc())
                    .putInt(e.data().length).putInt((int) Math.min(e.size(), 0xFFFFFFFFL))
                    .putShort((short) e.name().length).putShort((short) 0).putShort((short) 0).putShort((short) 0)
                    .putShort((short) 0).putInt(0).putInt(e.offset()).put(e.name());
            directory.writeBytes(record.array());
        }
        ByteBuffer end = le(22);
        end.putInt(0x06054b50).putShort((short) 0).putShort((short) 0).putShort((short) entries.size())
                .putShort((short) entries.size()).putInt(directory.size()).putInt(directoryStart).putShort((short) 0);
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        all.writeBytes(out.toByteArray());
        all.writeBytes(directory.toByteArray());
        all.writeBytes(end.array());
        return all.toByteArray();
    }

    /** The archive cut to its first {@code fraction} of bytes: a truncated upload. */
    public byte[] truncated(double fraction) {
        byte[] whole = toBytes();
        return Arrays.copyOf(whole, (int) (whole.length * fraction));
    }

    private static ByteBuffer le(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }
}
