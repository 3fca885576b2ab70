package io.montage.bench.search;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * Fashion-MNIST from Debian's dataset-fashion-mnist (IDX, gzipped; deploy/local/setup-testdata.sh installs it):
 * 60,000 train and 10,000 test grey 28×28 product photos with their class. Real, structured images — what the demo
 * model was trained on — so neighbours and recall mean something (unlike random vectors, see
 * ../shared/docs/pgvector.md). Also the small image operations the benchmarks need: PNG encoding (what a client
 * uploads), and the augmented variants (mirror, 1-2 px shifts) that make a 100k-item collection out of 70k photos.
 */
public final class FashionMnist {

    public static final Path DIR = Path.of("/usr/share/datasets/fashion-mnist");
    public static final List<String> CLASSES = List.of("t-shirt/top", "trouser", "pullover", "dress", "coat",
            "sandal", "shirt", "sneaker", "bag", "ankle boot");
    public static final int SIDE = 28;

    /** One split: {@code pixels[i]} is image i, 784 grey samples row by row; {@code labels[i]} its class 0–9. */
    public record Split(String name, byte[][] pixels, int[] labels) {
        public int size() {
            return labels.length;
        }
    }

    private FashionMnist() {
    }

    public static Split train() throws IOException {
        return read("train", DIR.resolve("train-images-idx3-ubyte.gz"), DIR.resolve("train-labels-idx1-ubyte.gz"));
    }

    public static Split test() throws IOException {
        return read("test", DIR.resolve("t10k-images-idx3-ubyte.gz"), DIR.resolve("t10k-labels-idx1-ubyte.gz"));
    }

    private static Split read(String name, Path images, Path labels) throws IOException {
        if (!Files.exists(images) || !Files.exists(labels)) {
            throw new IllegalStateException(images + " is missing: run deploy/local/setup-testdata.sh "
                    + "(apt-get install dataset-fashion-mnist)");
        }
        try (DataInputStream px = idx(images, 0x00000803); DataInputStream lb = idx(labels, 0x00000801)) {
            int count = px.readInt();
            int rows = px.readInt();
            int cols = px.readInt();
            if (rows != SIDE || cols != SIDE || lb.readInt() != count) {
                throw new IOException(images + ": unexpected shape or label count");
            }
            byte[][] pixels = new byte[count][SIDE * SIDE];
            int[] classes = new int[count];
            for (int i = 0; i < count; i++) {
                px.readFully(pixels[i]);
                classes[i] = lb.readUnsignedByte();
            }
            return new Split(name, pixels, classes);
        }
    }

    private static DataInputStream idx(Path file, int magic) throws IOException {
        InputStream in = new GZIPInputStream(Files.newInputStream(file), 1 << 16);
        DataInputStream data = new DataInputStream(new BufferedInputStream(in, 1 << 16));
        if (data.readInt() != magic) {
            data.close();
            throw new IOException(file + " is not an IDX file of the expected kind");
        }
        return data;
    }

    /** The image as a grey PNG, as a client would send it. */
    public static byte[] png(byte[] pixels) {
        BufferedImage image = new BufferedImage(SIDE, SIDE, BufferedImage.TYPE_BYTE_GRAY);
        image.getRaster().setDataElements(0, 0, SIDE, SIDE, pixels);
        ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
        try {
            ImageIO.write(image, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /**
     * A variant of an image: {@code kind} 0 mirrors it left-right, 1 shifts it 2 px right, 2 shifts it 1 px left and
     * 1 px down (uncovered pixels are background, 0). Close to, but never the same as, the original.
     */
    public static byte[] augment(byte[] pixels, int kind) {
        byte[] out = new byte[SIDE * SIDE];
        for (int y = 0; y < SIDE; y++) {
            for (int x = 0; x < SIDE; x++) {
                int sx;
                int sy;
                switch (kind % 3) {
                    case 0 -> {
                        sx = SIDE - 1 - x;
                        sy = y;
                    }
                    case 1 -> {
                        sx = x - 2;
                        sy = y;
                    }
                    default -> {
                        sx = x + 1;
                        sy = y - 1;
                    }
                }
                out[y * SIDE + x] = sx < 0 || sx >= SIDE || sy < 0 || sy >= SIDE ? 0 : pixels[sy * SIDE + sx];
            }
        }
        return out;
    }

    public static String augmentName(int kind) {
        return switch (kind % 3) {
            case 0 -> "mirrored";
            case 1 -> "shifted 2 px right";
            default -> "shifted 1 px left, 1 px down";
        };
    }
}
