package io.montage.api.admin;

import io.micronaut.context.annotation.Prototype;
import io.montage.datasets.CaptionLines;
import io.montage.datasets.ClassFolders;
import io.montage.datasets.DatasetClass;
import io.montage.datasets.DatasetImporter;
import io.montage.datasets.DatasetKind;
import io.montage.datasets.DatasetSpace;
import io.montage.datasets.EntrySource;
import io.montage.datasets.IdxPair;
import io.montage.datasets.ImportReport;
import io.montage.datasets.ReadyMade;
import io.montage.datasets.Rejection;
import io.montage.errors.MontageException;
import io.montage.tenants.TenantService;
import picocli.CommandLine.ArgGroup;
import jakarta.inject.Inject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * Imports a dataset version into a tenant's space or the shared one: one of the real sets setup-testdata.sh installs,
 * or a file of one of the three forms. Prints {@code name@vN} on stdout, the counts and the rejected entries on
 * stderr. Importing the same content again answers the existing version.
 */
@Prototype
@Command(name = "import-dataset", mixinStandardHelpOptions = true,
        description = "Import a labelled dataset (a ready-made set, a zip with a folder per class, an IDX pair, or "
                + "a JSONL/TSV caption list) into a tenant's space or the shared one.")
public class ImportDatasetCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @ArgGroup(multiplicity = "1")
    What what;

    static class What {
        @Option(names = "--fashion-mnist-test", description = "Fashion-MNIST's test split (10,000 images, 10 classes)")
        boolean fashionMnistTest;

        @Option(names = "--mnist-test", description = "MNIST's test split (10,000 digits)")
        boolean mnistTest;

        @Option(names = "--tuxpaint", description = "Tux Paint's captioned stamp photos (retrieval)")
        boolean tuxpaint;

        @Option(names = "--zip", paramLabel = "FILE", description = "A zip (or directory) with one folder per class")
        Path zip;

        @Option(names = "--idx", arity = "2", paramLabel = "FILE",
                description = "An IDX pair: the images file, then the labels file (gzip or not)")
        List<Path> idx;

        @Option(names = "--jsonl", paramLabel = "FILE", description = "A JSONL (.jsonl) or TSV caption list")
        Path captions;
    }

    @Option(names = "--tenant", description = "The tenant's slug (default: the shared admin space)")
    String tenantSlug;

    @Option(names = "--name", description = "The dataset's name (default: the ready-made set's, else required)")
    String name;

    @Option(names = "--kind", description = "classification or retrieval (default: retrieval for caption lists, "
            + "else classification)")
    String kind;

    @Option(names = "--classes", split = ",", description = "For --idx: the names of labels 0, 1, … (default: the numbers)")
    List<String> classes = List.of();

    @Option(names = "--images", paramLabel = "ZIP", description = "For --jsonl: the zip (or directory) its paths name")
    Path images;

    @Option(names = "--data-root", description = "Where the ready-made sets are (default: /usr/share/datasets)")
    Path dataRoot = ReadyMade.DEFAULT_ROOT;

    @Inject
    DatasetImporter importer;
    @Inject
    TenantService tenants;
    @Inject
    CommandAudit audit;

    @Override
    public Integer call() {
        ReadyMade readyMade = what.fashionMnistTest ? ReadyMade.FASHION_MNIST_TEST : what.mnistTest
                ? ReadyMade.MNIST_TEST : what.tuxpaint ? ReadyMade.TUXPAINT : null;
        EntrySource source = readyMade != null ? readyMade.source(dataRoot)
                : what.zip != null ? new ClassFolders(what.zip)
                : what.idx != null ? new IdxPair(what.idx.get(0), what.idx.get(1), classes)
                : new CaptionLines(what.captions, images);
        String datasetName = name != null ? name : readyMade != null ? readyMade.datasetName() : null;
        if (datasetName == null) {
            throw MontageException.invalid("dataset_name_required", "name the dataset with --name");
        }
        DatasetKind datasetKind = kind != null ? DatasetKind.fromWire(kind) : readyMade != null ? readyMade.kind()
                : what.captions != null ? DatasetKind.RETRIEVAL : DatasetKind.CLASSIFICATION;
        DatasetSpace space = tenantSlug == null ? DatasetSpace.SHARED
                : DatasetSpace.of(tenants.requireBySlug(tenantSlug).id());
        String target = "dataset " + datasetName + " in " + (tenantSlug == null ? "the shared space"
                : "tenant " + tenantSlug);
        ImportReport report = audit.recorded("dataset.import", target, source.describe(),
                () -> importer.importInto(space, datasetName, datasetKind, source));
        print(report, spec.commandLine().getErr());
        spec.commandLine().getOut().println(datasetName + "@v" + report.version().number());
        return 0;
    }

    private static void print(ImportReport report, PrintWriter err) {
        var v = report.version();
        err.println((report.newVersion() ? "imported version " : "the same content is version ") + v.number()
                + " (sha256 " + v.contentSha256() + "): " + v.entryCount() + " entries, " + v.classCount()
                + " classes, " + v.imageBytes() + " image bytes");
        for (DatasetClass c : report.classes()) {
            err.println("  " + c.ordinal() + " " + c.label() + ": " + c.entryCount());
        }
        if (report.rejectedCount() > 0) {
            err.println(report.rejectedCount() + " entries rejected" + (report.rejectedCount()
                    > report.firstRejections().size() ? ", the first " + report.firstRejections().size() : "") + ":");
            for (Rejection r : report.firstRejections()) {
                err.println("  " + r.origin() + ": " + r.reason());
            }
        }
    }
}
