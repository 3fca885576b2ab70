package io.montage.evaluation.metrics;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Three images, four captions: image 0 has "a dog" and "a red car", image 1 has "a dog" too (a duplicate caption),
 * image 2 has "a cat". So caption 0 and 2 ("a dog") are right for images 0 and 1; caption 1 for image 0; caption 3
 * for image 2.
 */
class RetrievalTest {

    private static final double EPS = 1e-12;
    private static final Relevance CAPTIONS = Relevance.ofCaptions(3, new int[]{0, 0, 1, 2},
            List.of("a dog", "a red car", "a dog", "a cat"));
    private static final double[][] SIMILARITY = {
            //  "a dog"  "a red car"  "a dog"  "a cat"
            {0.2, 0.9, 0.1, 0.5},
            {0.3, 0.1, 0.7, 0.8},
            {0.4, 0.4, 0.6, 0.4},
    };

    @Test
    void imageToTextRanksEachImageByItsBestScoredCaption() {
        // image 0: best right caption 0.9, no wrong one above -> 1
        // image 1: best right caption 0.7 ("a dog", its own), "a cat" 0.8 above -> 2
        // image 2: "a cat" 0.4 ties with two wrong 0.4 and is beaten by 0.6 -> 4 (ties never help)
        RankSummary r = Retrieval.evaluate(SIMILARITY, CAPTIONS, 1, 2, 5, 10).imageToText();
        assertEquals(3, r.queries());
        assertEquals(4, r.candidates());
        assertEquals(Map.of(1, 1 / 3.0, 2, 2 / 3.0, 5, 1.0, 10, 1.0), new TreeMap<>(r.recallAtK()),
                "k = 5 and 10 exceed the 4 captions: every image is within them");
        assertEquals(2.0, r.medianRank());
        assertEquals((1 + 1 / 2.0 + 1 / 4.0) / 3, r.meanReciprocalRank(), EPS);
    }

    @Test
    void textToImageCountsEveryImageWithTheSameCaptionAsRight() {
        // "a dog" (0): images 0 and 1 right; best 0.3 (image 1), image 2's 0.4 above -> 2 (image 0 alone: 3)
        // "a red car": 0.9 -> 1; "a dog" (2): best 0.7 (image 1), 0.6 below -> 1; "a cat": 0.4, two above -> 3
        RankSummary r = Retrieval.evaluate(SIMILARITY, CAPTIONS, Retrieval.DEFAULT_K).textToImage();
        assertEquals(4, r.queries());
        assertEquals(3, r.candidates());
        assertEquals(Map.of(1, 0.5, 5, 1.0, 10, 1.0), new TreeMap<>(r.recallAtK()));
        assertEquals(1.5, r.medianRank(), "ranks 1, 1, 2, 3: the mean of the middle two");
        assertEquals((1 / 2.0 + 1 + 1 + 1 / 3.0) / 4, r.meanReciprocalRank(), EPS);
    }

    @Test
    void aPerfectModelAndAConstantOne() {
        Relevance oneEach = Relevance.ofCaptions(2, new int[]{0, 1}, List.of("a", "b"));
        Retrieval.Report perfect = Retrieval.evaluate(new double[][]{{1, 0}, {0, 1}}, oneEach, 1);
        assertEquals(1.0, perfect.imageToText().recallAtK().get(1));
        assertEquals(1.0, perfect.textToImage().meanReciprocalRank());
        Retrieval.Report constant = Retrieval.evaluate(new double[][]{{0.5, 0.5}, {0.5, 0.5}}, oneEach, 1);
        assertEquals(0.0, constant.imageToText().recallAtK().get(1), "a tie never helps");
        assertEquals(2.0, constant.textToImage().medianRank());
        assertEquals(0.5, constant.textToImage().meanReciprocalRank());
    }

    @Test
    void badInputIsRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> Relevance.ofCaptions(2, new int[]{0, 0}, List.of("a", "b")), "image 1 has no caption");
        assertThrows(IllegalArgumentException.class,
                () -> Relevance.ofCaptions(1, new int[]{1}, List.of("a")), "caption of an image that is not there");
        assertThrows(IllegalArgumentException.class,
                () -> Retrieval.evaluate(new double[][]{{0.1, 0.2, 0.3}}, CAPTIONS, 1), "wrong shape");
        assertThrows(IllegalArgumentException.class, () -> Retrieval.evaluate(SIMILARITY, CAPTIONS, 0));
    }
}
