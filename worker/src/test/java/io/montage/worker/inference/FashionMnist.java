package io.montage.worker.inference;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * The Fashion-MNIST test split from Debian's dataset-fashion-mnist (deploy/local/setup-testdata.sh installs it):
 * 10,000 real 28×28 product photos the demo model never saw in training, as PNGs like a client would send.
 */
final class FashionMnist {

    static final Path DIR = Path.of("/usr/share/datasets/fashion-mnist");
    static final List<String> CLASSES = List.of("t-shirt/top", "trouser", "pullover", "dress", "coat", "sandal",
            "shirt", "sneaker", "bag", "ankle boot");

    record Example(String pngBase64, int label) {
    }

    private FashionMnist() {
    }

    static List<Example> testSplit() throws IOException {
        Path images = DIR.resolve("t10k-images-idx3-ubyte.gz");
        Path labels = DIR.resolve("t10k-labels-idx1-ubyte.gz");
        if (!Files.exists(images)) {
            throw new IllegalStateException(images + " is missing: run deploy/local/setup-testdata.sh");
        }
        try (DataInputStream px = idx(images, 0x00000803); DataInputStream lb = idx(labels, 0x00000801)) {
            int count = px.readInt();
            int rows = px.readInt();
            int cols = px.readInt();
            if (lb.readInt() != count) {
                throw new IOException("image and label counts differ");
            }
            List<Example> examples = new ArrayList<>(count);
            byte[] pixels = new byte[rows * cols];
            for (int i = 0; i < count; i++) {
                px.readFully(pixels);
                examples.add(new Example(png(pixels, cols, rows), lb.readUnsignedByte()));
            }
            return examples;
        }
    }

    private static DataInputStream idx(Path file, int magic) throws IOException {
        InputStream in = new GZIPInputStream(Files.newInputStream(file), 1 << 16);
        DataInputStream data = new DataInputStream(new java.io.BufferedInputStream(in));
        if (data.readInt() != magic) {
            throw new IOException(file + " is not an IDX file of the expected kind");
        }
        return data;
    }

    private static String png(byte[] pixels, int width, int height) throws IOException {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
        image.getRaster().setDataElements(0, 0, width, height, pixels);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return Base64.getEncoder().encodeToString(out.toByteArray());
    }
}
