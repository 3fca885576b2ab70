package io.montage.datasets;

import java.util.List;

/** One entry as a thumbnail shows it, without its image ({@link Datasets#image} reads that when it is shown). */
public record DatasetSample(int seq, String origin, String label, List<String> captions, String imageFormat,
                            int width, int height) {
}
