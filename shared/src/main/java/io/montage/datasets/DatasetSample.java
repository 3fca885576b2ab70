package io.montage.datasets;

import java.util.List;

/** One entry with its image, as a thumbnail shows it. */
public record DatasetSample(int seq, String origin, String label, List<String> captions, String imageFormat,
                            int width, int height, byte[] image) {
}
