package io.montage.datasets;

import java.nio.file.Path;
import java.util.List;

/**
 * The real labelled sets reachable here, where deploy/local/setup-testdata.sh puts them (docs/datasets.md): each
 * with its dataset name, kind and the source that reads it.
 */
public enum ReadyMade {
    /** Fashion-MNIST's test split: 10,000 grey 28×28 product photos, 1,000 of each of 10 classes (MIT). */
    FASHION_MNIST_TEST("fashion-mnist-test", DatasetKind.CLASSIFICATION) {
        @Override
        public EntrySource source(Path root) {
            Path dir = root.resolve("fashion-mnist");
            // the class names of labels 0 to 9, as the demo model's trainer names them (its TRAINING.md)
            return new IdxPair(dir.resolve("t10k-images-idx3-ubyte.gz"), dir.resolve("t10k-labels-idx1-ubyte.gz"),
                    List.of("t-shirt/top", "trouser", "pullover", "dress", "coat", "sandal", "shirt", "sneaker",
                            "bag", "ankle boot"));
        }
    },
    /** MNIST's test split: 10,000 handwritten digits 28×28, labelled 0 to 9 (CC BY-SA 3.0). */
    MNIST_TEST("mnist-test", DatasetKind.CLASSIFICATION) {
        @Override
        public EntrySource source(Path root) {
            Path dir = root.resolve("mnist");
            return new IdxPair(dir.resolve("t10k-images-idx3-ubyte"), dir.resolve("t10k-labels-idx1-ubyte"),
                    List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"));
        }
    },
    /** Tux Paint's stamps: photographed objects in category folders, captioned by their .txt files (GPL-2). */
    TUXPAINT("tuxpaint", DatasetKind.RETRIEVAL) {
        @Override
        public EntrySource source(Path root) {
            return new ClassFolders(root.resolve("tuxpaint-stamps"));
        }
    };

    /** Where setup-testdata.sh installs them. */
    public static final Path DEFAULT_ROOT = Path.of("/usr/share/datasets");

    private final String datasetName;
    private final DatasetKind kind;

    ReadyMade(String datasetName, DatasetKind kind) {
        this.datasetName = datasetName;
        this.kind = kind;
    }

    public String datasetName() {
        return datasetName;
    }

    public DatasetKind kind() {
        return kind;
    }

    /** The source under {@code root} (the folder that holds fashion-mnist/, mnist/ and tuxpaint-stamps/). */
    public abstract EntrySource source(Path root);
}
