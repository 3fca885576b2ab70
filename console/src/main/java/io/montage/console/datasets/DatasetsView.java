package io.montage.console.datasets;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.combobox.ComboBox;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import io.micronaut.context.annotation.Prototype;
import io.montage.console.access.AdminActions;
import io.montage.console.access.Feedback;
import io.montage.console.live.BackgroundWork;
import io.montage.console.live.LiveTable;
import io.montage.console.navigation.Format;
import io.montage.console.navigation.MainLayout;
import io.montage.datasets.Dataset;
import io.montage.datasets.DatasetClass;
import io.montage.datasets.DatasetImporter;
import io.montage.datasets.DatasetSpace;
import io.montage.datasets.DatasetVersion;
import io.montage.datasets.Datasets;
import io.montage.datasets.DatasetsConfig;
import io.montage.datasets.ImportReport;
import io.montage.tenants.TenantService;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The datasets of one space (the shared admin space, or a tenant's): each with its versions and its newest
 * version's per-class counts; a dataset's details show its versions and sample thumbnails of every class. Upload
 * files to import a version.
 */
@Prototype
@Route(value = "datasets", layout = MainLayout.class)
@PageTitle("Datasets · Montage console")
public class DatasetsView extends VerticalLayout implements BeforeEnterObserver {

    /** Classes named in a row of the table; the details list them all. */
    private static final int CLASSES_IN_A_ROW = 8;

    /** A space as the operator picks it. */
    record Space(String label, DatasetSpace space) {
    }

    /** A dataset with its versions, newest first, and the newest's classes. */
    record Row(Dataset dataset, List<DatasetVersion> versions, List<DatasetClass> classes) {
    }

    private final Datasets datasets;
    private final TenantService tenants;
    private final ComboBox<Space> space = new ComboBox<>("Space");
    private final LiveTable<Row> table = new LiveTable<>("datasets", "No dataset in this space yet.");
    private final DatasetDetails details;
    private List<Row> rows = List.of();

    public DatasetsView(Datasets datasets, DatasetImporter importer, TenantService tenants, AdminActions actions,
                        BackgroundWork work, DatasetsConfig config) {
        this.datasets = datasets;
        this.tenants = tenants;
        this.details = new DatasetDetails(datasets);
        space.setId("dataset-space");
        space.setItemLabelGenerator(Space::label);
        space.setWidth("20em");
        space.addValueChangeListener(e -> refresh());
        columns();
        add(new H2("Datasets"), space, new DatasetUpload(importer, actions, work, config.maxTotalBytes(),
                () -> space.getValue().space(), () -> space.getValue().label(), this::imported), details, table);
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        List<Space> spaces = new ArrayList<>();
        spaces.add(new Space("the shared space", DatasetSpace.SHARED));
        tenants.list().forEach(t -> spaces.add(new Space("tenant " + t.slug(), DatasetSpace.of(t.id()))));
        space.setItems(spaces);
        space.setValue(spaces.getFirst());
    }

    private void columns() {
        table.text("Dataset", r -> r.dataset().name())
                .text("Kind", r -> r.dataset().kind().wireName())
                .text("Versions", r -> "v" + r.versions().getFirst().number() + (r.versions().size() == 1 ? ""
                        : " (" + r.versions().size() + " versions)"))
                .text("Entries", r -> Format.count(r.versions().getFirst().entryCount()))
                .text("Per class", r -> perClass(r.classes()))
                .text("Imported", r -> Format.instant(r.versions().getFirst().createdAt()))
                .component("", this::detailsButton);
    }

    static String perClass(List<DatasetClass> classes) {
        String shown = classes.stream().limit(CLASSES_IN_A_ROW).map(c -> c.label() + " " + c.entryCount())
                .collect(Collectors.joining(" · "));
        return classes.size() > CLASSES_IN_A_ROW ? shown + " · … (" + classes.size() + " classes)" : shown;
    }

    private Component detailsButton(Row row) {
        Button open = new Button("Details", e -> details.show(row));
        open.setId("dataset-details-" + row.dataset().name());
        open.addThemeVariants(ButtonVariant.SMALL, ButtonVariant.TERTIARY);
        return open;
    }

    private void refresh() {
        details.hide();
        if (space.getValue() == null) {
            table.show(List.of());
            return;
        }
        DatasetSpace in = space.getValue().space();
        List<Row> read = new ArrayList<>();
        for (Dataset dataset : datasets.list(in)) {
            List<DatasetVersion> versions = datasets.versions(dataset);
            if (!versions.isEmpty()) {
                read.add(new Row(dataset, versions, datasets.classes(in, versions.getFirst().id())));
            }
        }
        rows = read;
        table.show(rows);
    }

    private void imported(ImportReport report) {
        DatasetVersion v = report.version();
        Feedback.done(report.dataset().name() + (report.newVersion() ? " version " + v.number() + " is imported: "
                : ": the same content is version " + v.number() + " already: ") + Format.count(v.entryCount())
                + " entries in " + v.classCount() + " classes" + (report.rejectedCount() == 0 ? "."
                : "; " + report.rejectedCount() + " rejected, the first: " + report.firstRejections().getFirst().origin()
                + " (" + report.firstRejections().getFirst().reason() + ")."));
        refresh();
        rows.stream().filter(r -> r.dataset().id().equals(report.dataset().id())).findFirst().ifPresent(details::show);
    }
}
