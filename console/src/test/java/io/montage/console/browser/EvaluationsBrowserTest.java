package io.montage.console.browser;

import io.montage.audit.AuditEntry;
import io.montage.audit.AuditFilter;
import io.montage.audit.AuditLog;
import io.montage.console.navigation.Format;
import io.montage.datasets.ClassFolders;
import io.montage.datasets.DatasetImporter;
import io.montage.datasets.DatasetKind;
import io.montage.datasets.DatasetSpace;
import io.montage.datasets.DatasetVersion;
import io.montage.datasets.ImportReport;
import io.montage.evaluation.runs.EvalEntries;
import io.montage.evaluation.runs.EvalRun;
import io.montage.evaluation.runs.EvalRunIndex;
import io.montage.evaluation.runs.EvalRuns;
import io.montage.jobs.ClaimedTask;
import io.montage.jobs.ItemOutcome;
import io.montage.jobs.TaskItem;
import io.montage.jobs.TaskLeases;
import io.montage.jobs.contracts.EvaluateJob;
import io.montage.jobs.contracts.JobCodec;
import io.montage.models.Model;
import io.montage.models.ModelRegistry;
import io.montage.tenants.Tenant;
import io.montage.tenants.TenantService;
import io.montage.testing.FakeBundle;
import io.montage.workers.WorkerRegistry;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An operator starts a zero-shot run of two models on a small dataset of real photos (Tux Paint's stamps: 3 birds,
 * 2 fruit) and follows it to its results. No worker runs here: the test claims each model's task as a worker would
 * and completes it with outcomes it chose (the first bird taken for fruit by model "a"; model "b" right on all), so
 * the confusion matrix, the metrics, the worst-classified entry and the comparison have known values. The real
 * worker's side is the whole-flow test's (deploy/e2e).
 */
class EvaluationsBrowserTest extends AdminBrowserTest {

    private static final Path STAMPS = Path.of("/usr/share/datasets/tuxpaint-stamps");

    @Test
    void aRunStartedInTheConsoleShowsItsProgressConfusionMatrixWorstEntriesAndComparison() throws IOException {
        String slug = "eval-" + UUID.randomUUID().toString().substring(0, 6);
        Tenant tenant = Console.bean(TenantService.class).create(slug, "Evaluations Co");
        ModelRegistry registry = Console.bean(ModelRegistry.class);
        Model a = FakeBundle.registerReady(registry, "eval-a");
        Model b = FakeBundle.registerReady(registry, "eval-b");
        String name = "stamps-" + UUID.randomUUID().toString().substring(0, 6);
        ImportReport imported = Console.bean(DatasetImporter.class).importInto(DatasetSpace.of(tenant.id()), name,
                DatasetKind.CLASSIFICATION, new ClassFolders(photos()));
        DatasetVersion version = imported.version();

        browser.open("evaluations?tenant=" + slug);
        browser.awaitValue("evaluations-tenant", slug);
        browser.pick("run-models", a.reference());
        browser.pick("run-models", b.reference());
        browser.choose("run-dataset", name + " v1 (tenant, classification, 5 entries)");
        browser.awaitText("run-task", EvaluateJob.ZERO_SHOT); // the dataset's kind picked it
        browser.find("run-templates").findElement(By.cssSelector("textarea"))
                .sendKeys("a photo of a {}." + Keys.ENTER + "a {}");
        browser.screenshot("19-evaluation-new-run");
        browser.click("start-run");
        browser.awaitNotification("started: 2 model(s) on " + name + " v1");

        EvalRunIndex.Summary listed = Console.bean(EvalRunIndex.class).newest(tenant.id(), 1).getFirst();
        EvalRun run = Console.bean(EvalRuns.class).find(tenant.id(), listed.id()).orElseThrow();
        assertEquals(List.of("a photo of a {}.", "a {}"), run.templates());
        assertEquals(List.of(a.reference(), b.reference()), listed.models());
        browser.awaitText("run-progress-" + run.id(), "0 %");
        browser.awaitText("run-title", "running");

        // the first bird is taken for fruit by model a (0.9 against 0.2): the one mistake
        List<EvalEntries.Entry> entries = Console.bean(EvalEntries.class).read(tenant.id(), version.id(), 0, 5);
        int firstBird = entries.stream().filter(e -> e.ordinal() == 0).findFirst().orElseThrow().seq();
        UUID worker = UUID.randomUUID();
        Console.bean(WorkerRegistry.class).register(worker, "eval-test", 1, List.of(EvaluateJob.NAME,
                io.montage.workers.WorkerNode.modelCapability(a.id()),
                io.montage.workers.WorkerNode.modelCapability(b.id())));
        complete(worker, a, entries, firstBird, 900_000_000L, 1_600_000L);
        browser.awaitText("run-progress-" + run.id(), "50 %");
        browser.awaitText("run-model-0", "done");
        complete(worker, b, entries, -1, 600_000_000L, 700_000L);

        browser.waitFor(java.time.Duration.ofSeconds(30)).until(d -> browser.present("confusion-matrix-0"));
        browser.awaitText("run-title", "succeeded");
        // rows true (bird, fruit), columns predicted: a's one mistake is bird → fruit; b's diagonal is full
        assertEquals(List.of("2", "1", "0", "2"), cells(0));
        assertEquals(List.of("3", "0", "0", "2"), cells(1));
        String metrics = browser.awaitText("run-metrics", "top-1 accuracy");
        assertTrue(metrics.contains("top-1 accuracy 0.8000 1.0000"), metrics);
        assertTrue(browser.find("confusion-heatmap-0").getDomAttribute("alt").contains("Confusion matrix of "
                + a.reference()), "the heat map says what it is");
        browser.waitFor().until(d -> loaded("#confusion-heatmap-0") && loaded("#per-class-bars-0")
                && loaded("#worst-" + 0 + " img.worst-thumbnail"));
        assertTrue(browser.find("worst-entry-" + firstBird).getText().contains("true bird · predicted fruit (0.900)"));
        assertEquals("No entry was misclassified.", browser.find("worst-1").getText());

        // Selenium hands strings back with bare line feeds: the page checks the file's CRLFs itself (RFC 4180)
        assertEquals("true", browser.download("download-run-csv", "t.length > 0 && t.split('\\n').length === t.split('\\r\\n').length"));
        List<String> csv = browser.download("download-run-csv", "t").lines().toList();
        assertEquals("model,model_sha256,metric,class,predicted_class,value", csv.getFirst());
        assertTrue(csv.contains(a.reference() + "," + run.models().getFirst().modelSha256() + ",confusion,bird,fruit,1")
                && csv.contains(a.reference() + "," + run.models().getFirst().modelSha256() + ",top1_accuracy,,,0.8"),
                String.join("\n", csv));
        String json = browser.download("download-run-json", "t");
        assertTrue(json.contains("\"id\":\"" + run.id() + "\"") && json.contains("\"confusion_matrix\":[[2,1],[0,2]]"),
                json);

        browser.click("compare-" + run.id());
        String compared = browser.awaitText("comparison", b.reference());
        assertTrue(compared.contains("0.8000") && compared.contains("1.0000 (+0.2000)"), compared);
        assertTrue(compared.contains("weights") && compared.contains(Format.bytes(700_000L) + " (−"), compared);
        // b is better and needs less memory: nothing dominates it (a's items/s is the timing's, so a is not judged here)
        assertTrue(browser.find("pareto-" + run.id() + "-1").getText().contains("Pareto-best"));
        browser.screenshot("21-evaluation-comparison", 1400);
        browser.script("document.getElementById('run-title').scrollIntoView()");
        browser.screenshot("20-evaluation-results", 1500);

        AuditEntry entry = Console.bean(AuditLog.class).search(new AuditFilter(null, "evaluation.start", null,
                slug)).getFirst();
        assertEquals(AuditEntry.OK, entry.outcome());
        assertTrue(entry.detail().contains("dataset " + name + "@v1, task " + EvaluateJob.ZERO_SHOT), entry.detail());
    }

    @Test
    void aFusedClassifiersRunSaysHowItAnsweredAndShowsItsMetrics() throws IOException {
        String slug = "evalf-" + UUID.randomUUID().toString().substring(0, 6);
        Tenant tenant = Console.bean(TenantService.class).create(slug, "Fused Co");
        Model fused = FakeBundle.registerReadyFused(Console.bean(ModelRegistry.class), "eval-fused", "bird", "fruit");
        String name = "stamps-" + UUID.randomUUID().toString().substring(0, 6);
        DatasetVersion version = Console.bean(DatasetImporter.class).importInto(DatasetSpace.of(tenant.id()), name,
                DatasetKind.CLASSIFICATION, new ClassFolders(photos())).version();
        EvalRun run = Console.bean(EvalRuns.class).start(tenant.id(), name, null, EvaluateJob.ZERO_SHOT,
                List.of(fused), null);
        List<EvalEntries.Entry> entries = Console.bean(EvalEntries.class).read(tenant.id(), version.id(), 0, 5);
        int firstBird = entries.stream().filter(e -> e.ordinal() == 0).findFirst().orElseThrow().seq();
        UUID worker = UUID.randomUUID();
        Console.bean(WorkerRegistry.class).register(worker, "eval-fused", 1, List.of(EvaluateJob.NAME,
                io.montage.workers.WorkerNode.modelCapability(fused.id())));
        complete(worker, fused, entries, firstBird, 300_000_000L, null);

        browser.open("evaluations?tenant=" + slug);
        browser.click("open-" + run.id());
        browser.awaitText("run-title", "succeeded");
        String record = browser.awaitText("run-record", fused.reference());
        assertTrue(record.contains(fused.reference() + " (sha256 ") && record.contains(
                ", fused: its own classes from image + caption)"), record);
        String metrics = browser.awaitText("run-metrics", "top-1 accuracy");
        assertTrue(metrics.contains("top-1 accuracy 0.8000"), metrics);
        assertEquals(List.of("2", "1", "0", "2"), cells(0));
        browser.screenshot("27-evaluation-fused-run", 1300);
    }

    @Test
    void aRunningRunIsCancelledFromItsDetailAndAudited() throws IOException {
        Setup setup = setup("evalc");
        EvalRun run = Console.bean(EvalRuns.class).start(setup.tenant().id(), setup.dataset(), null,
                EvaluateJob.ZERO_SHOT, List.of(setup.model()), List.of());
        browser.open("evaluations?tenant=" + setup.tenant().slug());
        browser.click("open-" + run.id());
        browser.awaitText("run-title", "running");
        browser.click("cancel-run");
        browser.awaitNotification("is cancelled");
        browser.awaitText("run-title", "cancelled");
        assertEquals("cancelled", Console.bean(EvalRuns.class).find(setup.tenant().id(), run.id()).orElseThrow()
                .status());
        AuditEntry entry = Console.bean(AuditLog.class).search(new AuditFilter(null, "evaluation.cancel", null,
                run.id().toString())).getFirst();
        assertEquals(AuditEntry.OK, entry.outcome());
        assertEquals("tenant " + setup.tenant().slug(), entry.target());
    }

    @Test
    void aViewerSeesRunsButCannotStartOne() throws IOException {
        Setup setup = setup("evalv");
        try (Browser viewer = new Browser(Console.url())) {
            viewer.signIn(Console.viewer(), Console.PASSWORD);
            viewer.awaitText("dashboard-updated", "(live)");
            viewer.open("evaluations?tenant=" + setup.tenant().slug());
            viewer.awaitValue("evaluations-tenant", setup.tenant().slug());
            viewer.pick("run-models", setup.model().reference());
            viewer.choose("run-dataset", setup.dataset() + " v1 (tenant, classification, 5 entries)");
            viewer.click("start-run");
            viewer.awaitNotification("can look but not change anything");
            viewer.awaitText("runs", "No evaluation run for this tenant yet.");
        }
        assertTrue(Console.bean(EvalRunIndex.class).newest(setup.tenant().id(), 1).isEmpty());
        assertEquals(AuditEntry.DENIED, Console.bean(AuditLog.class).search(new AuditFilter(null, "evaluation.start",
                null, setup.tenant().slug())).getFirst().outcome());
    }

    /** A fresh tenant with a ready fake model and the photos as its dataset. */
    private record Setup(Tenant tenant, Model model, String dataset) {
    }

    private static Setup setup(String prefix) throws IOException {
        Tenant tenant = Console.bean(TenantService.class).create(prefix + "-" + UUID.randomUUID().toString()
                .substring(0, 6), "Evaluations Co");
        Model model = FakeBundle.registerReady(Console.bean(ModelRegistry.class), prefix);
        String name = "stamps-" + UUID.randomUUID().toString().substring(0, 6);
        Console.bean(DatasetImporter.class).importInto(DatasetSpace.of(tenant.id()), name, DatasetKind.CLASSIFICATION,
                new ClassFolders(photos()));
        return new Setup(tenant, model, name);
    }

    /** Three birds and two fruit, a folder per class. */
    private static Path photos() throws IOException {
        Path dir = Files.createTempDirectory("eval-photos");
        for (String photo : List.of("animals/birds/blackbird.png", "animals/birds/chicken_profile.png",
                "animals/birds/adelaide-rosella.png", "food/fruit/apple_fuji.png", "food/fruit/Strawberry2.png")) {
            Path to = dir.resolve(photo.startsWith("animals") ? "bird" : "fruit").resolve(Path.of(photo).getFileName());
            Files.createDirectories(to.getParent());
            Files.copy(STAMPS.resolve(photo), to);
        }
        return dir;
    }

    /**
     * Claims {@code model}'s one task as a worker would and completes it: each entry right (0.8 for its class, 0.1
     * for the other) except {@code wrong}, predicted as the other class 0.9 to 0.2; {@code rss} is the worker's,
     * {@code weights} the model's.
     */
    private static void complete(UUID worker, Model model, List<EvalEntries.Entry> entries, int wrong, long rss,
                                 Long weights) {
        TaskLeases leases = Console.bean(TaskLeases.class);
        JobCodec codec = Console.bean(JobCodec.class);
        ClaimedTask task = leases.claim(worker, List.of(EvaluateJob.NAME), List.of(model.id()), 1).getFirst();
        List<ItemOutcome> outcomes = new ArrayList<>();
        for (TaskItem item : leases.items(task)) {
            EvaluateJob.Input range = codec.readInput(EvaluateJob.CONTRACT, item.inputJson(), item.inputBytes());
            List<EvaluateJob.Entry> results = entries.stream()
                    .filter(e -> e.seq() >= range.seqFrom() && e.seq() < range.seqTo()).map(e -> {
                        int truth = e.ordinal();
                        int other = 1 - truth;
                        return e.seq() == wrong
                                ? new EvaluateJob.Entry(e.seq(), truth, new int[]{other, truth}, new double[]{0.9, 0.2},
                                null, null)
                                : new EvaluateJob.Entry(e.seq(), truth, new int[]{truth, other}, new double[]{0.8, 0.1},
                                null, null);
                    }).toList();
            outcomes.add(ItemOutcome.succeeded(item.seq(), codec.result(EvaluateJob.CONTRACT,
                    new EvaluateJob.Result(results, 12.5, rss / 2, rss, weights))));
        }
        leases.complete(task, outcomes);
    }

    /** The four cells of model {@code position}'s matrix, row by row. */
    private static List<String> cells(int position) {
        List<String> out = new ArrayList<>();
        for (int t = 0; t < 2; t++) {
            for (int p = 0; p < 2; p++) {
                out.add(browser.find("cm-" + position + "-" + t + "-" + p).getText());
            }
        }
        return out;
    }

    /** Whether every image the selector finds is loaded and decoded by the browser (and there is one). */
    private static boolean loaded(String selector) {
        return (Boolean) browser.script("const all = Array.from(document.querySelectorAll(arguments[0]));"
                + "return all.length > 0 && all.every(i => i.complete && i.naturalWidth > 0)", selector);
    }
}
