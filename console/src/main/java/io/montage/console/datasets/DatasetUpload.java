package io.montage.console.datasets;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.UIDetachedException;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.combobox.ComboBox;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.component.upload.Upload;
import com.vaadin.flow.component.upload.UploadFormat;
import com.vaadin.flow.server.Command;
import com.vaadin.flow.server.streams.UploadEvent;
import com.vaadin.flow.server.streams.UploadHandler;
import io.montage.console.access.AdminActions;
import io.montage.console.access.Feedback;
import io.montage.console.access.SignedIn;
import io.montage.console.live.BackgroundWork;
import io.montage.console.navigation.Format;
import io.montage.datasets.DatasetImporter;
import io.montage.datasets.DatasetKind;
import io.montage.datasets.DatasetSpace;
import io.montage.datasets.EntrySource;
import io.montage.datasets.ImportReport;
import io.montage.datasets.StagedUpload;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Uploading a dataset: its files stream to a staging folder as they arrive (never into memory), then Import reads
 * them as the form they make and imports a version into the chosen space, off the UI thread
 * ({@link BackgroundWork}); the result (the version, its counts, the first rejected entries) is pushed back.
 */
final class DatasetUpload extends VerticalLayout {

    private final DatasetImporter importer;
    private final AdminActions actions;
    private final BackgroundWork work;
    private final long maxFileBytes;
    private final Supplier<DatasetSpace> space;
    private final Supplier<String> spaceName;
    private final Consumer<ImportReport> imported;
    private final UI ui = UI.getCurrent();
    private final TextField name = new TextField("Dataset name");
    private final ComboBox<DatasetKind> kind = new ComboBox<>("Kind");
    private final TextField classNames = new TextField("IDX class names");
    private final Span staged = new Span();
    private final Upload upload;
    private StagedUpload files;

    DatasetUpload(DatasetImporter importer, AdminActions actions, BackgroundWork work, long maxFileBytes,
                  Supplier<DatasetSpace> space, Supplier<String> spaceName, Consumer<ImportReport> imported) {
        this.importer = importer;
        this.actions = actions;
        this.work = work;
        this.maxFileBytes = maxFileBytes;
        this.space = space;
        this.spaceName = spaceName;
        this.imported = imported;
        files = new StagedUpload(maxFileBytes);
        addDetachListener(e -> files.close());
        setPadding(false);
        name.setId("dataset-name");
        name.setHelperText("lower-case letters, digits, . _ -");
        kind.setId("dataset-kind");
        kind.setItems(DatasetKind.values());
        kind.setItemLabelGenerator(DatasetKind::wireName);
        kind.setValue(DatasetKind.CLASSIFICATION);
        classNames.setId("dataset-classes");
        classNames.setHelperText("comma-separated names of labels 0, 1, … (else the numbers)");
        staged.setId("dataset-staged");
        staged.getStyle().set("color", "var(--lumo-secondary-text-color)");
        upload = upload();
        Button start = new Button("Import", e -> startImport());
        start.setId("import-dataset");
        start.addThemeVariants(ButtonVariant.PRIMARY);
        Button clear = new Button("Clear files", e -> clear());
        clear.setId("clear-dataset-files");
        clear.addThemeVariants(ButtonVariant.TERTIARY);
        HorizontalLayout fields = new HorizontalLayout(name, kind, classNames, start, clear);
        fields.setDefaultVerticalComponentAlignment(FlexComponent.Alignment.BASELINE);
        add(new HorizontalLayout(upload, staged), fields);
        showStaged();
    }

    private Upload upload() {
        Upload upload = new Upload(new Receiver());
        upload.setId("dataset-upload");
        upload.setMaxFiles(StagedUpload.MAX_FILES);
        upload.setUploadFormat(UploadFormat.RAW); // the request body is the file, written to staging as it arrives
        upload.getElement().setProperty("maxFileSize", (double) maxFileBytes); // a courtesy: the server counts too
        upload.setUploadButton(new Button("Upload dataset files…"));
        upload.setDropLabel(new Span("a .zip (a folder per class), an IDX pair, or a .jsonl/.tsv with its .zip; up to "
                + Format.bytes(maxFileBytes) + " each"));
        upload.addFileRejectedListener(e -> Feedback.error(e.getFileName() + " was not sent: " + e.getErrorMessage()));
        return upload;
    }

    /** Writes each file of the upload to the staging folder, on the upload's own request. */
    private final class Receiver implements UploadHandler {
        @Override
        public void handleUploadRequest(UploadEvent event) throws IOException {
            StagedUpload into = files;
            try (InputStream in = event.getInputStream()) {
                into.receive(in, event.getFileName());
                push(DatasetUpload.this::showStaged);
            } catch (RuntimeException refused) {
                event.reject("not staged: the notification says why");
                push(() -> Feedback.refused(refused));
            }
        }

        @Override
        public long getFileSizeMax() {
            return maxFileBytes;
        }
    }

    private void startImport() {
        String dataset = name.getValue().strip();
        DatasetKind as = kind.getValue() == null ? DatasetKind.CLASSIFICATION : kind.getValue();
        List<String> names = classNames.getValue().isBlank() ? List.of()
                : Arrays.stream(classNames.getValue().split(",")).map(String::strip).toList();
        DatasetSpace into = space.get();
        String target = "dataset " + dataset + " in " + spaceName.get();
        StagedUpload taken = files;
        EntrySource source;
        try {
            source = taken.source(names);
        } catch (IOException | RuntimeException refused) {
            Feedback.refused(refused instanceof RuntimeException r ? r : new IllegalStateException(refused));
            return;
        }
        var operator = SignedIn.current();
        if (work.start(() -> {
            try {
                ImportReport report = actions.performAs(operator, "dataset.import", target, source.describe(),
                        () -> importer.importInto(into, dataset, as, source));
                push(() -> imported.accept(report));
            } catch (RuntimeException refused) {
                push(() -> Feedback.refused(refused));
            } finally {
                taken.close();
                push(this::showStaged);
            }
        })) {
            files = new StagedUpload(maxFileBytes);
            upload.clearFileList();
            staged.setText("Importing " + target + "…");
        }
    }

    private void clear() {
        files.close();
        files = new StagedUpload(maxFileBytes);
        upload.clearFileList();
        showStaged();
    }

    private void showStaged() {
        List<String> names = files.fileNames();
        staged.setText(names.isEmpty() ? "No files staged." : "Staged: " + String.join(", ", names));
    }

    /** The operator may have closed the page meanwhile: then there is no one to tell, and the audit log has it. */
    private void push(Command command) {
        try {
            ui.access(command);
        } catch (UIDetachedException closed) {
            // nothing to show it in
        }
    }
}
