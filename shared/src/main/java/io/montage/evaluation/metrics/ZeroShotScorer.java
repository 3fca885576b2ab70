package io.montage.evaluation.metrics;

import java.util.List;

/**
 * CLIP's zero-shot classifier, computed here rather than taken from a serving path so an evaluation checks it: a
 * class's text embedding is the normalised mean of the normalised embeddings of its prompts (the templates filled
 * with the class's label), and an image's score for a class is the cosine of the two. Arithmetic in double
 * precision: the reference result, not a fast one.
 */
public final class ZeroShotScorer {

    private final double[][] classes;

    private ZeroShotScorer(double[][] classes) {
        this.classes = classes;
    }

    /**
     * @param promptEmbeddings per class (in class order), the embeddings of its prompts; at least one per class, all
     *                         of one dimension
     */
    public static ZeroShotScorer fromPrompts(List<List<float[]>> promptEmbeddings) {
        if (promptEmbeddings.isEmpty()) {
            throw new IllegalArgumentException("at least one class is needed");
        }
        int dim = -1;
        double[][] classes = new double[promptEmbeddings.size()][];
        for (int c = 0; c < classes.length; c++) {
            List<float[]> prompts = promptEmbeddings.get(c);
            if (prompts.isEmpty()) {
                throw new IllegalArgumentException("class " + c + " has no prompt embeddings");
            }
            double[] mean = null;
            for (float[] prompt : prompts) {
                dim = dim < 0 ? prompt.length : dim;
                if (prompt.length != dim) {
                    throw new IllegalArgumentException("class " + c + " has a " + prompt.length
                            + "-dimensional prompt embedding, others have " + dim);
                }
                double[] unit = unit(prompt);
                mean = mean == null ? new double[dim] : mean;
                for (int d = 0; d < dim; d++) {
                    mean[d] += unit[d] / prompts.size();
                }
            }
            classes[c] = unit(mean);
        }
        return new ZeroShotScorer(classes);
    }

    public int classes() {
        return classes.length;
    }

    /** The image's cosine with each class, in class order. */
    public double[] scores(float[] imageEmbedding) {
        if (imageEmbedding.length != classes[0].length) {
            throw new IllegalArgumentException("a " + imageEmbedding.length + "-dimensional image embedding for "
                    + classes[0].length + "-dimensional classes");
        }
        double[] image = unit(imageEmbedding);
        double[] out = new double[classes.length];
        for (int c = 0; c < classes.length; c++) {
            double dot = 0;
            for (int d = 0; d < image.length; d++) {
                dot += image[d] * classes[c][d];
            }
            out[c] = dot;
        }
        return out;
    }

    private static double[] unit(float[] v) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i];
        }
        return unit(out);
    }

    private static double[] unit(double[] v) {
        double sum = 0;
        for (double x : v) {
            sum += x * x;
        }
        if (!(sum > 0) || !Double.isFinite(sum)) {
            throw new IllegalArgumentException("a zero or non-finite vector has no direction");
        }
        double norm = Math.sqrt(sum);
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i] / norm;
        }
        return out;
    }
}
