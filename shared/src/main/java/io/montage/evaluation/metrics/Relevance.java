package io.montage.evaluation.metrics;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which captions match which images in a captioned dataset. Caption c is written for image {@code imageOf[c]}; an
 * image may have several. Relevance goes by caption <em>text</em>: a caption is relevant to every image that has
 * a caption with exactly that text. Two photos both captioned "a dog" are then equally right answers to the query
 * "a dog" (the model cannot tell the two identical queries apart), and each photo has both copies as right answers.
 */
public final class Relevance {

    private final boolean[][] relevant; // [image][caption]

    private Relevance(boolean[][] relevant) {
        this.relevant = relevant;
    }

    /**
     * @param images   how many images the dataset has
     * @param imageOf  {@code imageOf[c]}: the image caption c was written for
     * @param captions the caption texts, {@code captions.get(c)} for caption c
     */
    public static Relevance ofCaptions(int images, int[] imageOf, List<String> captions) {
        if (imageOf.length != captions.size()) {
            throw new IllegalArgumentException(imageOf.length + " caption owners for " + captions.size() + " captions");
        }
        Map<String, Set<Integer>> imagesOfText = new HashMap<>();
        for (int c = 0; c < imageOf.length; c++) {
            imagesOfText.computeIfAbsent(captions.get(c), t -> new HashSet<>()).add(ConfusionMatrix.checked(imageOf[c],
                    images));
        }
        boolean[][] relevant = new boolean[images][imageOf.length];
        for (int c = 0; c < imageOf.length; c++) {
            for (int image : imagesOfText.get(captions.get(c))) {
                relevant[image][c] = true;
            }
        }
        for (int i = 0; i < images; i++) {
            if (!contains(relevant[i])) {
                throw new IllegalArgumentException("image " + i + " has no caption: its rank would be undefined");
            }
        }
        return new Relevance(relevant);
    }

    private static boolean contains(boolean[] flags) {
        for (boolean f : flags) {
            if (f) {
                return true;
            }
        }
        return false;
    }

    public int images() {
        return relevant.length;
    }

    public int captions() {
        return relevant[0].length;
    }

    boolean[] captionsOf(int image) {
        return relevant[image];
    }

    boolean[] imagesOf(int caption) {
        boolean[] column = new boolean[relevant.length];
        for (int i = 0; i < relevant.length; i++) {
            column[i] = relevant[i][caption];
        }
        return column;
    }
}
