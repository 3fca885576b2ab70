package io.montage.datasets;

import io.montage.errors.MontageException;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Files by relative path ('/'-separated), from a zip or a directory: what the folder-per-class form and the caption
 * lists' image references read. Random access (a zip's central directory), so a caption beside an image or an
 * image named on line 10,000 is found without reading the rest.
 */
abstract sealed class FileTree implements Closeable {

    private final int maxFiles;
    private final List<String> files = new ArrayList<>();

    FileTree(int maxFiles) {
        this.maxFiles = maxFiles;
    }

    /** Opens a zip file or a directory. */
    static FileTree open(Path path, int maxFiles) throws IOException {
        return Files.isDirectory(path) ? new Directory(path, maxFiles) : new Zip(path, maxFiles);
    }

    /** The regular files, sorted, without hidden files and folders and macOS's __MACOSX copies. */
    final List<String> files() {
        return files;
    }

    /** Lists a file found while opening; a hidden one is left out, one past {@code maxFiles} refuses the tree. */
    final void found(String name) {
        if (visible(name)) {
            if (files.size() == maxFiles) {
                throw MontageException.invalid("dataset_too_many_files", "the archive holds more than " + maxFiles
                        + " files; split it (montage.datasets.max-entries sets how many entries a version may have)");
            }
            files.add(name);
        }
    }

    final void sort() {
        files.sort(null);
    }

    /** The file's bytes, or null when it is not there; an {@link IllegalArgumentException} when over {@code limit}. */
    abstract byte[] read(String name, int limit) throws IOException;

    private static boolean visible(String name) {
        for (String part : name.split("/")) {
            if (part.startsWith(".") || part.equals("__MACOSX")) {
                return false;
            }
        }
        return true;
    }

    /** At most {@code limit} bytes of {@code in}: never more is held, however long the stream really is. */
    static byte[] bounded(InputStream in, int limit) throws IOException {
        byte[] bytes = in.readNBytes(limit + 1);
        if (bytes.length > limit) {
            throw new IllegalArgumentException("larger than montage.datasets.max-image-bytes (" + limit + " bytes)");
        }
        return bytes;
    }

    static final class Zip extends FileTree {
        private final ZipFile zip;

        Zip(Path path, int maxFiles) throws IOException {
            super(maxFiles);
            try {
                zip = new ZipFile(path.toFile());
            } catch (ZipException notAZip) {
                throw MontageException.invalid("invalid_dataset_archive", "the file is not a readable zip archive");
            }
            Enumeration<? extends ZipEntry> entries = zip.entries();
            while (entries.hasMoreElements()) {
                ZipEntry entry = entries.nextElement();
                if (!entry.isDirectory()) {
                    try {
                        found(entry.getName());
                    } catch (MontageException tooMany) {
                        zip.close();
                        throw tooMany;
                    }
                }
            }
            sort();
        }

        @Override
        byte[] read(String name, int limit) throws IOException {
            ZipEntry entry = zip.getEntry(name);
            if (entry == null || entry.isDirectory()) {
                return null;
            }
            try (InputStream in = zip.getInputStream(entry)) {
                return bounded(in, limit);
            }
        }

        @Override
        public void close() throws IOException {
            zip.close();
        }
    }

    static final class Directory extends FileTree {
        private final Path root;

        Directory(Path root, int maxFiles) throws IOException {
            super(maxFiles);
            this.root = root.toRealPath();
            try (Stream<Path> walk = Files.walk(this.root)) {
                for (Path file : (Iterable<Path>) walk.filter(Files::isRegularFile)::iterator) {
                    found(this.root.relativize(file).toString().replace('\\', '/'));
                }
            }
            sort();
        }

        @Override
        byte[] read(String name, int limit) throws IOException {
            Path file = root.resolve(name).normalize();
            if (!file.startsWith(root) || !Files.isRegularFile(file)) {
                return null;
            }
            try (InputStream in = Files.newInputStream(file)) {
                return bounded(in, limit);
            }
        }

        @Override
        public void close() {
        }
    }
}
