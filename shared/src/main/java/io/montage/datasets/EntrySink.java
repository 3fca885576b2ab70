package io.montage.datasets;

import java.util.List;

/** Where a source hands its entries: the importer, which checks them against the limits and stores them. */
public interface EntrySink {

    /** The limits, which a source needs for its bounded reads. */
    DatasetsConfig limits();

    /**
     * An entry as the source read it; the sink checks the image, label and captions and may still reject it.
     *
     * @param origin   where in the source ("shirts/a.png", "line 12", "image 345")
     * @param label    its class, or null
     * @param captions its captions, possibly none
     */
    void entry(String origin, String label, List<String> captions, byte[] image);

    /** An entry the source could not read; counted and reported, never fatal. */
    void rejected(String origin, String reason);
}
