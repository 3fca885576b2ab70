package io.montage.console.datasets;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Image;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.server.streams.DownloadHandler;
import io.montage.console.live.LiveTable;
import io.montage.console.navigation.Format;
import io.montage.datasets.DatasetClass;
import io.montage.datasets.DatasetSample;
import io.montage.datasets.DatasetSpace;
import io.montage.datasets.DatasetVersion;
import io.montage.datasets.Datasets;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * One dataset spelled out: its versions (content hash, counts, where each came from) and, for the newest, every
 * class with its count and a few sample thumbnails, the stored images as they are (scaled in the browser).
 */
final class DatasetDetails extends VerticalLayout {

    private static final int SAMPLES_PER_CLASS = 6;
    /** Classes shown with thumbnails; the rest with their counts only (a page of 1,000 rows of images helps no one). */
    private static final int CLASSES_WITH_SAMPLES = 40;

    private final Datasets datasets;
    private final H3 title = new H3();
    private final LiveTable<DatasetVersion> versions = new LiveTable<>("dataset-versions", "");
    private final VerticalLayout classes = new VerticalLayout();

    DatasetDetails(Datasets datasets) {
        this.datasets = datasets;
        setId("dataset-details");
        setVisible(false);
        getStyle().set("border", "1px solid var(--lumo-contrast-10pct)")
                .set("border-radius", "var(--lumo-border-radius-m)");
        classes.setId("dataset-classes-samples");
        classes.setPadding(false);
        classes.setSpacing(false);
        versions.text("Version", v -> "v" + v.number())
                .text("Content sha256", v -> v.contentSha256().substring(0, 16) + "…")
                .text("Entries", v -> Format.count(v.entryCount()))
                .text("Classes", DatasetVersion::classCount)
                .text("Rejected", DatasetVersion::rejectedCount)
                .text("Images", v -> Format.bytes(v.imageBytes()))
                .text("From", DatasetVersion::source)
                .text("Imported", v -> Format.instant(v.createdAt()));
        Button close = new Button("Close", e -> hide());
        close.setId("close-dataset-details");
        close.addThemeVariants(ButtonVariant.SMALL, ButtonVariant.TERTIARY);
        HorizontalLayout head = new HorizontalLayout(title, close);
        head.setAlignItems(Alignment.BASELINE);
        add(head, versions, classes);
    }

    void show(DatasetsView.Row row) {
        title.setText(row.dataset().name() + " (" + row.dataset().kind().wireName() + ")");
        versions.show(row.versions());
        DatasetVersion newest = row.versions().getFirst();
        DatasetSpace space = row.dataset().space();
        Map<String, List<DatasetSample>> samples = datasets.samples(space, newest.id(), CLASSES_WITH_SAMPLES,
                SAMPLES_PER_CLASS).stream().collect(Collectors.groupingBy(s -> s.label() == null ? "" : s.label()));
        classes.removeAll();
        for (DatasetClass c : row.classes()) {
            classes.add(classRow(c.label() + " · " + Format.count(c.entryCount()), c.ordinal(),
                    samples.getOrDefault(c.label(), List.of()), image(space, newest)));
        }
        if (samples.containsKey("")) {
            classes.add(classRow("unlabelled", -1, samples.get(""), image(space, newest)));
        }
        setVisible(true);
    }

    void hide() {
        setVisible(false);
    }

    private Function<DatasetSample, DownloadHandler> image(DatasetSpace space, DatasetVersion version) {
        return sample -> StoredImage.of(datasets, space, version.id(), sample.seq());
    }

    private static HorizontalLayout classRow(String heading, int ordinal, List<DatasetSample> samples,
                                             Function<DatasetSample, DownloadHandler> image) {
        Span label = new Span(heading);
        label.setWidth("14em");
        label.getStyle().set("font-size", "var(--lumo-font-size-s)");
        Div thumbnails = new Div();
        thumbnails.getStyle().set("display", "flex").set("gap", "var(--lumo-space-xs)");
        samples.forEach(s -> thumbnails.add(thumbnail(s, image.apply(s))));
        HorizontalLayout row = new HorizontalLayout(label, thumbnails);
        row.setId("dataset-class-" + ordinal);
        row.setAlignItems(Alignment.CENTER);
        return row;
    }

    private static Image thumbnail(DatasetSample sample, DownloadHandler bytes) {
        Image image = new Image(bytes, sample.captions().isEmpty() ? sample.origin() : sample.captions().getFirst());
        image.setHeight("56px");
        image.setTitle(sample.origin() + (sample.captions().isEmpty() ? "" : ": " + String.join(" | ",
                sample.captions())));
        image.addClassName("dataset-thumbnail");
        // small images (28×28 digits) scaled up stay sharp
        image.getStyle().set("image-rendering", sample.width() < 56 ? "pixelated" : "auto");
        return image;
    }
}
