package io.montage.bench.inputs;

import java.util.List;

/**
 * A named set of images the benchmark sends, with a sentence saying where they come from (the report repeats it:
 * synthetic inputs must be labelled as such).
 */
public record ImageSet(String name, List<BenchImage> images, String origin) {

    public ImageSet {
        if (images.isEmpty()) {
            throw new IllegalArgumentException("image set " + name + " is empty");
        }
        images = List.copyOf(images);
    }

    public double meanKilobytes() {
        return images.stream().mapToInt(i -> i.bytes().length).average().orElse(0) / 1024.0;
    }
}
