package io.montage.evaluation.metrics;

import java.util.List;
import java.util.SortedMap;

/**
 * The classification metrics of one model on one labelled dataset.
 *
 * @param examples  how many examples were scored
 * @param accuracy  top-1 accuracy: the share of examples whose true class is ranked first
 * @param topK      k -&gt; the share of examples whose true class ranks within the first k ({@link Ranks#of})
 * @param perClass  one entry per class, in class order
 * @param macro     unweighted averages over the classes with examples
 * @param weighted  support-weighted averages over the classes with examples
 * @param confusion rows = true class, columns = predicted class ({@link Ranks#predicted})
 */
public record ClassificationReport(long examples, double accuracy, SortedMap<Integer, Double> topK,
                                   List<ClassMetrics> perClass, Averages macro, Averages weighted,
                                   ConfusionMatrix confusion) {
}
