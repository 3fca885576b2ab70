package io.montage.datasets;

import io.montage.errors.MontageException;

import javax.imageio.ImageIO;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import java.awt.image.BufferedImage;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import java.util.zip.GZIPInputStream;

/**
 * An IDX pair, the MNIST and Fashion-MNIST format: an images file (magic 0x00000803: count, rows, columns, then
 * one unsigned byte per grey pixel, row by row) and a labels file (0x00000801: count, then one byte per label),
 * each gzip-compressed or not. Read side by side, one image at a time; each becomes a PNG (lossless, and what every
 * decoder reads), labelled with its class's name when names are given, else with the number.
 * The format is five big-endian integers, simpler to read exactly here than to take a library for.
 */
public final class IdxPair implements EntrySource {

    private static final int IMAGES_MAGIC = 0x00000803;
    private static final int LABELS_MAGIC = 0x00000801;

    private final Path images;
    private final Path labels;
    private final List<String> classNames;

    /** @param classNames the name of label 0, 1, …; empty: the labels' numbers are the names */
    public IdxPair(Path images, Path labels, List<String> classNames) {
        this.images = images;
        this.labels = labels;
        this.classNames = List.copyOf(classNames);
    }

    @Override
    public String describe() {
        return "idx " + images.getFileName() + " + " + labels.getFileName();
    }

    /** The class names given, else the label numbers in numeric order (not "10" before "2"). */
    @Override
    public List<String> classOrder() {
        return classNames.isEmpty() ? IntStream.range(0, 256).mapToObj(Integer::toString).toList() : classNames;
    }

    @Override
    public void read(EntrySink sink) throws IOException {
        try (DataInputStream pixels = open(images); DataInputStream classes = open(labels)) {
            int count = header(pixels, IMAGES_MAGIC, "images");
            int rows = pixels.readInt();
            int columns = pixels.readInt();
            int side = sink.limits().maxImageSide();
            if (rows <= 0 || columns <= 0 || rows > side || columns > side) {
                throw invalid("the images file says its images are " + rows + "x" + columns + " pixels; each side "
                        + "must be 1 to " + side + " (montage.datasets.max-image-side)");
            }
            if (count > sink.limits().maxEntries()) {
                throw DatasetImporter.tooManyEntries(sink.limits().maxEntries());
            }
            int labelCount = header(classes, LABELS_MAGIC, "labels");
            if (count != labelCount) {
                throw invalid("the images file holds " + count + " images and the labels file " + labelCount
                        + " labels; they must be a pair of the same split");
            }
            byte[] frame = new byte[rows * columns];
            for (int i = 0; i < count; i++) {
                try {
                    pixels.readFully(frame);
                    int label = classes.readUnsignedByte();
                    String origin = "image " + i;
                    if (!classNames.isEmpty() && label >= classNames.size()) {
                        sink.rejected(origin, "label " + label + " has no class name (" + classNames.size()
                                + " names given)");
                    } else {
                        sink.entry(origin, classNames.isEmpty() ? Integer.toString(label) : classNames.get(label),
                                List.of(), png(frame, columns, rows));
                    }
                } catch (EOFException truncated) {
                    throw invalid("the files end after " + i + " of the " + count + " entries their headers promise");
                }
            }
        }
    }

    private static int header(DataInputStream in, int magic, String what) throws IOException {
        try {
            int found = in.readInt();
            int count = in.readInt();
            if (found != magic || count < 0) {
                throw invalid("the " + what + " file is not an IDX " + what + " file (magic 0x"
                        + String.format("%08x", magic) + " expected, found 0x" + String.format("%08x", found) + ")");
            }
            return count;
        } catch (EOFException empty) {
            throw invalid("the " + what + " file is too short to be an IDX file");
        }
    }

    private static DataInputStream open(Path file) throws IOException {
        InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        in.mark(2);
        boolean gzip = in.read() == 0x1F && in.read() == 0x8B;
        in.reset();
        return new DataInputStream(gzip ? new BufferedInputStream(new GZIPInputStream(in, 1 << 16), 1 << 16) : in);
    }

    private static byte[] png(byte[] grey, int width, int height) throws IOException {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
        image.getRaster().setDataElements(0, 0, width, height, grey);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(grey.length + 128);
        // in memory: ImageIO's default stream would cache to a temporary file per image
        try (ImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            ImageIO.write(image, "png", out);
        }
        return bytes.toByteArray();
    }

    private static MontageException invalid(String detail) {
        return MontageException.invalid("invalid_idx", detail);
    }
}
