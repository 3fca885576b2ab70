package io.montage.datasets;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * A zip (or a directory) with one folder per class: an image's label is the name of the folder it is in, and a
 * {@code .txt} file of the same name beside it gives its caption, its first line (how Tux Paint describes its
 * stamps; other lines are translations). Files other than images and captions are reported, not fatal.
 */
public final class ClassFolders implements EntrySource {

    private static final List<String> IMAGE_SUFFIXES = List.of(".png", ".jpg", ".jpeg", ".gif", ".bmp", ".webp");
    private static final int MAX_CAPTION_FILE_BYTES = 64 * 1024;

    private final Path path;

    public ClassFolders(Path zipOrDirectory) {
        this.path = zipOrDirectory;
    }

    /** The zip or directory it reads. */
    public Path path() {
        return path;
    }

    @Override
    public String describe() {
        return "class folders " + path.getFileName();
    }

    @Override
    public void read(EntrySink sink) throws IOException {
        try (FileTree tree = FileTree.open(path, Math.max(1000, sink.limits().maxEntries() * 3))) {
            for (String name : tree.files()) {
                String lower = name.toLowerCase(Locale.ROOT);
                if (lower.endsWith(".txt")) {
                    continue; // a caption, read with its image
                }
                if (IMAGE_SUFFIXES.stream().noneMatch(lower::endsWith)) {
                    sink.rejected(name, "not an image file (.png, .jpg, .gif, .bmp or .webp)");
                    continue;
                }
                int slash = name.lastIndexOf('/');
                if (slash < 0) {
                    sink.rejected(name, "not inside a class folder: put each image in a folder named after its class");
                    continue;
                }
                String folder = name.substring(0, slash);
                String label = folder.substring(folder.lastIndexOf('/') + 1);
                try {
                    byte[] image = tree.read(name, sink.limits().maxImageBytes());
                    sink.entry(name, label, caption(tree, name), image);
                } catch (IllegalArgumentException refused) {
                    sink.rejected(name, refused.getMessage());
                }
            }
        }
    }

    private static List<String> caption(FileTree tree, String image) throws IOException {
        byte[] text = tree.read(image.substring(0, image.lastIndexOf('.')) + ".txt", MAX_CAPTION_FILE_BYTES);
        if (text == null) {
            return List.of();
        }
        String first = new String(text, StandardCharsets.UTF_8).lines().findFirst().orElse("").strip();
        return first.isEmpty() ? List.of() : List.of(first);
    }
}
