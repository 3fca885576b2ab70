package io.montage.worker.inference;

import io.micronaut.json.tree.JsonNode;
import io.montage.datasets.EntrySink;
import io.montage.datasets.EntrySource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The fused demo's held-out split (its reference/heldout.json, written by train_fused.py) as a classification
 * dataset: each stamp's photo from the installed Tux Paint stamps, labelled by its category and captioned by the
 * text its trainer gave the model, the classes in the manifest's order.
 */
record HeldOutStamps(JsonNode heldOut) implements EntrySource {

    @Override
    public String describe() {
        return "the held-out split of tuxpaint-fused-mini";
    }

    @Override
    public List<String> classOrder() {
        List<String> labels = new ArrayList<>();
        heldOut.get("labels").values().forEach(l -> labels.add(l.getStringValue()));
        return labels;
    }

    @Override
    public void read(EntrySink sink) throws IOException {
        Path stamps = Path.of(heldOut.get("stamps_root").getStringValue());
        for (JsonNode item : heldOut.get("items").values()) {
            String image = item.get("image").getStringValue();
            sink.entry(image, item.get("label").getStringValue(), List.of(item.get("text").getStringValue()),
                    Files.readAllBytes(stamps.resolve(image)));
        }
    }
}
