package io.montage.evaluation.metrics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Counts of (true class, predicted class) pairs: rows are true classes, columns predicted ones. Immutable. */
public final class ConfusionMatrix {

    private final long[][] counts;

    private ConfusionMatrix(long[][] counts) {
        this.counts = counts;
    }

    /** The matrix of {@code truth[i]} against {@code predicted[i]}, over classes {@code 0 .. classes - 1}. */
    public static ConfusionMatrix of(int[] truth, int[] predicted, int classes) {
        if (truth.length != predicted.length) {
            throw new IllegalArgumentException(truth.length + " labels but " + predicted.length + " predictions");
        }
        if (classes < 1) {
            throw new IllegalArgumentException("at least one class is needed");
        }
        long[][] counts = new long[classes][classes];
        for (int i = 0; i < truth.length; i++) {
            counts[checked(truth[i], classes)][checked(predicted[i], classes)]++;
        }
        return new ConfusionMatrix(counts);
    }

    static int checked(int label, int classes) {
        if (label < 0 || label >= classes) {
            throw new IllegalArgumentException("class " + label + " is outside 0.." + (classes - 1));
        }
        return label;
    }

    public int classes() {
        return counts.length;
    }

    /** How many examples of class {@code truth} were predicted as {@code predicted}. */
    public long count(int truth, int predicted) {
        return counts[truth][predicted];
    }

    /** The examples whose true class is {@code c} (the row sum). */
    public long support(int c) {
        long sum = 0;
        for (long n : counts[c]) {
            sum += n;
        }
        return sum;
    }

    /** The examples predicted as {@code c} (the column sum). */
    public long predictions(int c) {
        long sum = 0;
        for (long[] row : counts) {
            sum += row[c];
        }
        return sum;
    }

    public long correct() {
        long sum = 0;
        for (int c = 0; c < counts.length; c++) {
            sum += counts[c][c];
        }
        return sum;
    }

    public long total() {
        long sum = 0;
        for (int c = 0; c < counts.length; c++) {
            sum += support(c);
        }
        return sum;
    }

    /** The rows as lists (for JSON and tables). */
    public List<List<Long>> rows() {
        List<List<Long>> rows = new ArrayList<>(counts.length);
        for (long[] row : counts) {
            rows.add(Arrays.stream(row).boxed().toList());
        }
        return rows;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ConfusionMatrix other && Arrays.deepEquals(counts, other.counts);
    }

    @Override
    public int hashCode() {
        return Arrays.deepHashCode(counts);
    }

    @Override
    public String toString() {
        return rows().toString();
    }
}
