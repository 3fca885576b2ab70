package io.montage.evaluation.metrics;

/**
 * Where the right answer lands when candidates are ordered by score, with the one tie rule every metric shares:
 * <b>a tie never helps</b>. A wrong candidate scored equal to the right one counts as ranked above it, so a model
 * that scores everything alike ranks every right answer last, not first by luck of its position in a list.
 * Hand-written because the rule must be exact and is the heart of every metric here.
 */
public final class Ranks {

    private Ranks() {
    }

    /**
     * The 1-based rank of {@code target}: 1 + the number of other candidates scored at least as high. Ranges from 1
     * to {@code scores.length}.
     */
    public static int of(double[] scores, int target) {
        checkFinite(scores);
        double s = scores[target];
        int rank = 1;
        for (int i = 0; i < scores.length; i++) {
            if (i != target && scores[i] >= s) {
                rank++;
            }
        }
        return rank;
    }

    /**
     * The 1-based rank of the best-scored relevant candidate: 1 + the number of irrelevant candidates scored at least
     * as high as it (other relevant candidates never push it down). At least one candidate must be relevant.
     */
    public static int ofFirstRelevant(double[] scores, boolean[] relevant) {
        checkFinite(scores);
        if (relevant.length != scores.length) {
            throw new IllegalArgumentException(scores.length + " scores but " + relevant.length + " relevance flags");
        }
        double best = Double.NEGATIVE_INFINITY;
        boolean any = false;
        for (int i = 0; i < scores.length; i++) {
            if (relevant[i]) {
                best = any ? Math.max(best, scores[i]) : scores[i];
                any = true;
            }
        }
        if (!any) {
            throw new IllegalArgumentException("no candidate is relevant: the rank is undefined");
        }
        int rank = 1;
        for (int i = 0; i < scores.length; i++) {
            if (!relevant[i] && scores[i] >= best) {
                rank++;
            }
        }
        return rank;
    }

    /**
     * The class an evaluation counts as predicted: the highest-scored one; when the true class shares the top score
     * with others, the lowest-indexed of those others (a tie never helps), otherwise the lowest-indexed top class.
     * So the prediction equals {@code truth} exactly when {@link #of} ranks the truth first.
     */
    public static int predicted(double[] scores, int truth) {
        checkFinite(scores);
        int best = -1;
        for (int i = 0; i < scores.length; i++) {
            boolean higher = best < 0 || scores[i] > scores[best];
            boolean tieAgainstTheTruth = best == truth && scores[i] == scores[best];
            if (higher || tieAgainstTheTruth) {
                best = i;
            }
        }
        return best;
    }

    private static void checkFinite(double[] scores) {
        if (scores.length == 0) {
            throw new IllegalArgumentException("no candidates to rank");
        }
        for (double s : scores) {
            if (!Double.isFinite(s)) {
                throw new IllegalArgumentException("a score is " + s + ": ranks need finite scores");
            }
        }
    }
}
