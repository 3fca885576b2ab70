package io.montage.e2e;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * The first images of Fashion-MNIST's test split (setup-testdata.sh installs it) as an IDX pair an operator can
 * upload: the same bytes as the files', with the count in their headers cut to the slice.
 */
final class FashionMnistSlice {

    static final String IMAGES = "fmnist-slice-images-idx3-ubyte";
    static final String LABELS = "fmnist-slice-labels-idx1-ubyte";
    /** Labels 0 to 9 as the demo model's trainer names them (its TRAINING.md). */
    static final List<String> CLASSES = List.of("t-shirt/top", "trouser", "pullover", "dress", "coat", "sandal",
            "shirt", "sneaker", "bag", "ankle boot");
    private static final Path SOURCE = Path.of("/usr/share/datasets/fashion-mnist");
    private static final int SIDE = 28;

    private FashionMnistSlice() {
    }

    /** Writes the first {@code count} images and labels into {@code dir}; returns how many of each class. */
    static int[] write(Path dir, int count) throws IOException {
        int[] perClass = new int[CLASSES.size()];
        try (DataInputStream in = open("t10k-labels-idx1-ubyte.gz");
             DataOutputStream out = new DataOutputStream(Files.newOutputStream(dir.resolve(LABELS)))) {
            out.writeInt(in.readInt()); // the magic number
            in.readInt();
            out.writeInt(count);
            byte[] labels = in.readNBytes(count);
            for (byte label : labels) {
                perClass[label]++;
            }
            out.write(labels);
        }
        try (DataInputStream in = open("t10k-images-idx3-ubyte.gz");
             DataOutputStream out = new DataOutputStream(Files.newOutputStream(dir.resolve(IMAGES)))) {
            out.writeInt(in.readInt());
            in.readInt();
            out.writeInt(count);
            out.writeInt(in.readInt()); // rows
            out.writeInt(in.readInt()); // columns
            out.write(in.readNBytes(count * SIDE * SIDE));
        }
        return perClass;
    }

    private static DataInputStream open(String file) throws IOException {
        InputStream raw = Files.newInputStream(SOURCE.resolve(file));
        return new DataInputStream(new GZIPInputStream(raw));
    }
}
