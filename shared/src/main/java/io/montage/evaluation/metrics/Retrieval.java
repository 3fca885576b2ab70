package io.montage.evaluation.metrics;

/**
 * Image-&gt;text and text-&gt;image retrieval metrics from the image-caption similarity matrix: every image queries
 * all captions, every caption queries all images, and each query's rank is that of its first right answer under
 * the tie rule of {@link Ranks}.
 */
public final class Retrieval {

    /** The k of the recall@k a retrieval evaluation reports. */
    public static final int[] DEFAULT_K = {1, 5, 10};

    private Retrieval() {
    }

    /** Both directions' metrics. */
    public record Report(RankSummary imageToText, RankSummary textToImage) {
    }

    /**
     * @param similarity {@code similarity[i][c]}: the score of image i against caption c (e.g. their cosine)
     * @param relevance  which captions match which images
     * @param ks         the k of recall@k (each &ge; 1)
     */
    public static Report evaluate(double[][] similarity, Relevance relevance, int... ks) {
        int images = relevance.images();
        int captions = relevance.captions();
        if (similarity.length != images) {
            throw new IllegalArgumentException(similarity.length + " similarity rows for " + images + " images");
        }
        int[] imageRanks = new int[images];
        double[][] byCaption = new double[captions][images];
        for (int i = 0; i < images; i++) {
            if (similarity[i].length != captions) {
                throw new IllegalArgumentException("row " + i + " has " + similarity[i].length + " scores for "
                        + captions + " captions");
            }
            imageRanks[i] = Ranks.ofFirstRelevant(similarity[i], relevance.captionsOf(i));
            for (int c = 0; c < captions; c++) {
                byCaption[c][i] = similarity[i][c];
            }
        }
        int[] captionRanks = new int[captions];
        for (int c = 0; c < captions; c++) {
            captionRanks[c] = Ranks.ofFirstRelevant(byCaption[c], relevance.imagesOf(c));
        }
        return new Report(RankSummary.of(imageRanks, captions, ks), RankSummary.of(captionRanks, images, ks));
    }
}
