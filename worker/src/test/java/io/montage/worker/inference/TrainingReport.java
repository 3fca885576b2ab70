package io.montage.worker.inference;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What train_demo.py measured in Python and wrote into a bundle's TRAINING.md: the zero-shot accuracy on the
 * Fashion-MNIST test split, overall (in % to 2 decimals: exact for 10,000 images), per class (in % to 1 decimal:
 * exact for 1,000 images a class) and the confusion matrix.
 *
 * @param accuracyPercent  the overall accuracy, in %
 * @param perClassPercent  each class's accuracy (its recall), in %
 * @param confusion        rows = true class, columns = predicted
 */
record TrainingReport(double accuracyPercent, List<Double> perClassPercent, List<List<Long>> confusion) {

    private static final Pattern OVERALL = Pattern.compile("\\*\\*Overall: ([0-9.]+) %\\*\\*");
    private static final Pattern CLASS_ROW = Pattern.compile("^\\| (\\d+) \\| [^|]+ \\| ([0-9.]+) % \\|");

    static TrainingReport of(Path bundle) throws IOException {
        List<String> lines = Files.readAllLines(bundle.resolve("TRAINING.md"));
        Double overall = null;
        List<Double> perClass = new ArrayList<>();
        List<List<Long>> confusion = new ArrayList<>();
        boolean inMatrix = false;
        boolean headerSeen = false;
        for (String line : lines) {
            Matcher m = OVERALL.matcher(line);
            if (m.find()) {
                overall = Double.parseDouble(m.group(1));
            }
            Matcher row = CLASS_ROW.matcher(line);
            if (row.find()) {
                perClass.add(Double.parseDouble(row.group(2)));
            }
            inMatrix |= line.startsWith("Confusion matrix");
            if (inMatrix && line.matches("\\s*\\d+(\\s+\\d+)*")) {
                if (headerSeen) { // a row: its class, then one count per predicted class
                    long[] cells = Arrays.stream(line.trim().split("\\s+")).mapToLong(Long::parseLong).toArray();
                    confusion.add(Arrays.stream(cells, 1, cells.length).boxed().toList());
                }
                headerSeen = true; // the first numeric line numbers the columns
            }
        }
        if (overall == null || perClass.isEmpty() || confusion.size() != perClass.size()) {
            throw new IOException(bundle.resolve("TRAINING.md") + " lacks the zero-shot section train_demo.py writes");
        }
        return new TrainingReport(overall, List.copyOf(perClass), List.copyOf(confusion));
    }
}
