package io.montage.evaluation.metrics;

import java.util.Arrays;
import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Retrieval metrics of one direction (image-&gt;text or text-&gt;image) from the rank of each query's first right
 * answer ({@link Ranks#ofFirstRelevant}).
 *
 * @param queries            how many queries were ranked
 * @param candidates         how many candidates each query was ranked against
 * @param recallAtK          k -&gt; the share of queries with a right answer within the first k (1.0 for any k at
 *                           or above the candidate count)
 * @param medianRank         the median of the ranks (the mean of the two middle ones for an even count)
 * @param meanReciprocalRank the mean of 1 / rank
 */
public record RankSummary(int queries, int candidates, SortedMap<Integer, Double> recallAtK, double medianRank,
                          double meanReciprocalRank) {

    static RankSummary of(int[] ranks, int candidates, int... ks) {
        SortedMap<Integer, Double> recall = new TreeMap<>();
        for (int k : ks) {
            if (k < 1) {
                throw new IllegalArgumentException("recall@k needs k >= 1, not " + k);
            }
            recall.put(k, Arrays.stream(ranks).filter(r -> r <= k).count() / (double) ranks.length);
        }
        int[] sorted = ranks.clone();
        Arrays.sort(sorted);
        int middle = sorted.length / 2;
        double median = sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2.0;
        double reciprocal = Arrays.stream(ranks).mapToDouble(r -> 1.0 / r).sum() / ranks.length;
        return new RankSummary(ranks.length, candidates, Collections.unmodifiableSortedMap(recall), median,
                reciprocal);
    }
}
