package io.montage.console.jobs;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.AttachmentType;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.server.streams.DownloadHandler;
import io.micronaut.context.annotation.Prototype;
import io.montage.console.access.AdminActions;
import io.montage.console.access.Feedback;
import io.montage.jobs.Job;
import io.montage.jobs.JobItem;
import io.montage.jobs.JobOutcomeLines;
import io.montage.jobs.JobIntake;
import io.montage.jobs.Jobs;
import io.montage.tenants.Tenant;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * One job of the jobs view: cancel it, page through its failed items (their error codes and messages), download
 * its succeeded items as the api's results JSONL.
 */
@Prototype
public class JobDetail extends VerticalLayout {

    static final int ERRORS_PER_PAGE = 50;

    private final Jobs jobs;
    private final JobIntake queue;
    private final JobOutcomeLines lines;
    private final AdminActions actions;
    private final H3 title = new H3();
    private final Anchor download = new Anchor();
    private final Grid<JobItem> errors = new Grid<>();
    private final Span errorsPage = new Span();
    private final Button previous = new Button("Previous errors", e -> previousPage());
    private final Button next = new Button("Next errors", e -> nextPage());
    private final Button cancel = new Button("Cancel job", e -> cancel());
    /** Where each page shown so far started (the seq before its first item): keyset paging, like the api's. */
    private final Deque<Integer> starts = new ArrayDeque<>();
    private Tenant tenant;
    private Job job;
    private List<JobItem> page = List.of();

    public JobDetail(Jobs jobs, JobIntake queue, JobOutcomeLines lines, AdminActions actions) {
        this.jobs = jobs;
        this.queue = queue;
        this.lines = lines;
        this.actions = actions;
        setId("job-detail");
        setPadding(false);
        setVisible(false);
        title.setId("job-title");
        cancel.setId("cancel-job");
        cancel.addThemeVariants(ButtonVariant.ERROR);
        download.setId("download-results");
        download.setText("Download results (JSONL)");
        HorizontalLayout bar = new HorizontalLayout(cancel, download);
        bar.setDefaultVerticalComponentAlignment(FlexComponent.Alignment.CENTER);
        errors.setId("job-errors");
        errors.setAllRowsVisible(true);
        errors.addColumn(JobItem::seq).setHeader("Index").setAutoWidth(true);
        errors.addColumn(JobItem::customId).setHeader("Custom id").setAutoWidth(true);
        errors.addColumn(JobItem::errorCode).setHeader("Error").setAutoWidth(true);
        errors.addColumn(JobItem::errorMessage).setHeader("Message").setFlexGrow(1);
        previous.setId("errors-previous");
        next.setId("errors-next");
        errorsPage.setId("errors-page");
        HorizontalLayout paging = new HorizontalLayout(previous, next, errorsPage);
        paging.setDefaultVerticalComponentAlignment(FlexComponent.Alignment.CENTER);
        add(title, bar, new Span("Failed items"), errors, paging);
    }

    /** Shows {@code shown} of {@code owner}, its first page of errors, and a download of its results. */
    void show(Tenant owner, Job shown) {
        tenant = owner;
        job = shown;
        title.setText("Job " + job.id() + " (" + job.type() + ", tenant " + tenant.slug() + ")");
        cancel.setEnabled(!job.status().terminal());
        download.setHref(results(), AttachmentType.DOWNLOAD);
        starts.clear();
        starts.push(-1);
        readPage();
        setVisible(true);
    }

    private DownloadHandler results() {
        Tenant owner = tenant;
        Job of = job;
        return event -> {
            event.setFileName("job-" + of.id() + "-results.jsonl");
            event.setContentType("application/x-ndjson");
            lines.writeAll(owner.id(), of.id(), "succeeded", event.getOutputStream());
        };
    }

    private void cancel() {
        if (Feedback.attempt(() -> actions.perform("job.cancel", "job " + job.id() + " of tenant " + tenant.slug(),
                job.type() + ", " + job.pendingItems() + " items pending", () -> queue.cancel(tenant.id(), job.id())))) {
            Feedback.done("Job " + job.id() + " is cancelled: its waiting items never run; finished ones keep their results.");
            cancel.setEnabled(false);
        }
    }

    private void nextPage() {
        starts.push(page.getLast().seq());
        readPage();
    }

    private void previousPage() {
        starts.pop();
        readPage();
    }

    private void readPage() {
        // one more than shown: whether a next page exists without counting
        List<JobItem> read = jobs.items(tenant.id(), job.id(), "failed", starts.peek(), ERRORS_PER_PAGE + 1);
        page = read.subList(0, Math.min(read.size(), ERRORS_PER_PAGE));
        errors.setItems(page);
        next.setEnabled(read.size() > ERRORS_PER_PAGE);
        previous.setEnabled(starts.size() > 1);
        errorsPage.setText(page.isEmpty() ? "No failed items." : "Page " + starts.size());
    }
}
