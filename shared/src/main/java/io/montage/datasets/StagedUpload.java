package io.montage.datasets;

import io.montage.errors.MontageException;
import io.montage.models.BundleFetcher;

import java.io.Closeable;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * The files of one dataset upload, streamed to a staging folder of their own as they arrive (counted: never more
 * than the limit on disk, nothing in memory), then read as the form they make together: one zip (a folder per
 * class), an IDX pair (told apart by their magic numbers, not their names), or a JSONL/TSV caption list with the zip
 * of its images, or alone when its images are inline. Closing deletes the folder.
 */
public final class StagedUpload implements Closeable {

    /** An upload holds at most this many files: the largest form is a pair. */
    public static final int MAX_FILES = 2;
    private static final int IDX_IMAGES = 0x00000803;
    private static final int IDX_LABELS = 0x00000801;

    private final Path dir;
    private final long maxFileBytes;
    private final List<Path> files = new ArrayList<>();

    /** @param maxFileBytes the most one file may have (montage.datasets.max-total-bytes: no form is larger) */
    public StagedUpload(long maxFileBytes) {
        this.maxFileBytes = maxFileBytes;
        try {
            this.dir = Files.createTempDirectory("montage-dataset-upload-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Receives one file; refused past the limit or the number of files, and then nothing of it stays. */
    public synchronized void receive(InputStream in, String fileName) throws IOException {
        if (files.size() == MAX_FILES) {
            throw MontageException.invalid("dataset_upload_files", "an upload is one zip, an IDX pair, or a caption "
                    + "list with its zip: at most " + MAX_FILES + " files; clear the upload and start again");
        }
        // a folder per file: two files of the same name stay apart, and each keeps its name
        Path file = Files.createDirectory(dir.resolve(Integer.toString(files.size())))
                .resolve(BundleFetcher.safeFileName(fileName));
        byte[] buffer = new byte[1 << 16];
        long total = 0;
        try (OutputStream out = Files.newOutputStream(file)) {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                total += n;
                if (total > maxFileBytes) {
                    throw MontageException.invalid("dataset_upload_too_large", fileName + " is over " + maxFileBytes
                            + " bytes (montage.datasets.max-total-bytes)");
                }
                out.write(buffer, 0, n);
            }
        } catch (IOException | RuntimeException failed) {
            Files.deleteIfExists(file);
            Files.deleteIfExists(file.getParent());
            throw failed;
        }
        files.add(file);
    }

    /** The names of the files received, as they arrived. */
    public synchronized List<String> fileNames() {
        return files.stream().map(f -> f.getFileName().toString()).toList();
    }

    /**
     * The form the files make.
     *
     * @param classNames for an IDX pair: the names of labels 0, 1, … (empty: the numbers)
     */
    public synchronized EntrySource source(List<String> classNames) throws IOException {
        List<Path> zips = files.stream().filter(f -> suffix(f, ".zip")).toList();
        List<Path> lists = files.stream().filter(f -> suffix(f, ".jsonl") || suffix(f, ".tsv")).toList();
        if (files.size() == 1 && zips.size() == 1) {
            return new ClassFolders(zips.getFirst());
        }
        if (lists.size() == 1 && zips.size() == files.size() - 1) {
            return new CaptionLines(lists.getFirst(), zips.isEmpty() ? null : zips.getFirst());
        }
        if (files.size() == 2 && zips.isEmpty() && lists.isEmpty()) {
            int first = idxMagic(files.get(0));
            int second = idxMagic(files.get(1));
            if (first == IDX_IMAGES && second == IDX_LABELS) {
                return new IdxPair(files.get(0), files.get(1), classNames);
            }
            if (first == IDX_LABELS && second == IDX_IMAGES) {
                return new IdxPair(files.get(1), files.get(0), classNames);
            }
        }
        throw MontageException.invalid("dataset_upload_form", "upload one .zip with a folder per class, an IDX "
                + "images file with its labels file (gzip or not), or a .jsonl/.tsv caption list (with the .zip of its "
                + "images); received: " + String.join(", ", fileNames()));
    }

    private static int idxMagic(Path file) throws IOException {
        try (InputStream raw = Files.newInputStream(file)) {
            byte[] head = raw.readNBytes(4);
            if (head.length < 4) {
                return 0;
            }
            if ((head[0] & 0xFF) == 0x1F && (head[1] & 0xFF) == 0x8B) {
                try (DataInputStream in = new DataInputStream(new GZIPInputStream(Files.newInputStream(file)))) {
                    return in.readInt();
                } catch (IOException notGzip) {
                    return 0;
                }
            }
            return (head[0] & 0xFF) << 24 | (head[1] & 0xFF) << 16 | (head[2] & 0xFF) << 8 | (head[3] & 0xFF);
        }
    }

    private static boolean suffix(Path file, String suffix) {
        return file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(suffix);
    }

    /** Deletes the staged files. */
    @Override
    public synchronized void close() {
        files.clear();
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
