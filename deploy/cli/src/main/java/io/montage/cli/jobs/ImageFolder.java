package io.montage.cli.jobs;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * A folder's images (the extensions the api takes from a zip), as the zip upload of {@code POST /v1/jobs}: each
 * image an entry named by its path under the folder, which the api makes the item's {@code custom_id}. The zip is
 * written while it is sent (a pipe fed by a virtual thread), so a large folder is never held in memory or on disk.
 */
final class ImageFolder {

    static final Set<String> EXTENSIONS = Set.of("jpg", "jpeg", "png", "webp", "gif", "bmp");
    private static final int PIPE_BYTES = 1 << 20;

    private final Path root;
    private final List<Path> images;

    private ImageFolder(Path root, List<Path> images) {
        this.root = root;
        this.images = images;
    }

    static ImageFolder scan(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return new ImageFolder(root, files.filter(Files::isRegularFile).filter(ImageFolder::isImage).sorted()
                    .toList());
        }
    }

    static boolean isImage(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 && EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    int size() {
        return images.size();
    }

    /** The zip, streamed: the writer fails the read side if a file cannot be read. */
    PipedInputStream zip() throws IOException {
        PipedInputStream in = new PipedInputStream(PIPE_BYTES);
        PipedOutputStream out = new PipedOutputStream(in);
        Thread.ofVirtual().name("zip-" + root.getFileName()).start(() -> {
            try (out) {
                write(out);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot zip " + root, e); // the pipe breaks: the upload fails
            }
        });
        return in;
    }

    private void write(OutputStream out) throws IOException {
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.setLevel(Deflater.NO_COMPRESSION); // images are compressed already
            for (Path image : images) {
                zip.putNextEntry(new ZipEntry(root.relativize(image).toString().replace('\\', '/')));
                Files.copy(image, zip);
                zip.closeEntry();
            }
        }
    }
}
