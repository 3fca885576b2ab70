package io.montage.evaluation.runs;

import io.montage.jobs.contracts.EvaluateJob;

import java.util.Arrays;

/**
 * A zero-shot outcome's full score row: the kept classes with their cosines, every other class just below the worst
 * one kept, all equal. Top-1, top-5 and the predicted class are then exactly those of the full scores (ties count
 * against the model, so a true class outside the kept ones ranks below all of them). The metrics and the
 * worst-classified examples read outcomes through this one rule.
 */
final class ZeroShotRow {

    private ZeroShotRow() {
    }

    static double[] of(EvaluateJob.Entry entry, int classes) {
        double floor = Arrays.stream(entry.scores()).min().orElse(0);
        double[] row = new double[classes];
        Arrays.fill(row, Math.nextDown(floor));
        for (int k = 0; k < entry.top().length; k++) {
            row[entry.top()[k]] = entry.scores()[k];
        }
        return row;
    }
}
