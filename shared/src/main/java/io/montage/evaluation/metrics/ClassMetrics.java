package io.montage.evaluation.metrics;

/**
 * Precision, recall and F1 of one class. A value is {@code null} where it is undefined: recall and F1 of a class
 * with no examples (support 0), and its precision too when it was never predicted either. A class that has examples
 * but was never predicted has precision 0 (it found none of them), not undefined.
 *
 * @param label       the class index
 * @param support     examples whose true class this is
 * @param predictions examples predicted as this class
 * @param correct     examples of this class predicted as it (true positives)
 */
public record ClassMetrics(int label, long support, long predictions, long correct, Double precision, Double recall,
                           Double f1) {

    static ClassMetrics of(ConfusionMatrix matrix, int label) {
        long support = matrix.support(label);
        long predictions = matrix.predictions(label);
        long correct = matrix.count(label, label);
        Double precision = null; // (a ?: b : null) would unbox to double and throw
        if (predictions > 0) {
            precision = correct / (double) predictions;
        } else if (support > 0) {
            precision = 0.0;
        }
        Double recall = support > 0 ? Double.valueOf(correct / (double) support) : null;
        Double f1 = recall == null ? null : f1(precision, recall);
        return new ClassMetrics(label, support, predictions, correct, precision, recall, f1);
    }

    /** The harmonic mean; 0 when both are 0. */
    static double f1(double precision, double recall) {
        return precision + recall == 0 ? 0.0 : 2 * precision * recall / (precision + recall);
    }
}
