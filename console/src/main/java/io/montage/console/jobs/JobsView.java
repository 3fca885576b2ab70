package io.montage.console.jobs;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.combobox.ComboBox;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.progressbar.ProgressBar;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import io.micronaut.context.annotation.Prototype;
import io.montage.console.live.LiveTable;
import io.montage.console.live.Refresher;
import io.montage.console.navigation.Format;
import io.montage.console.navigation.MainLayout;
import io.montage.console.navigation.TenantChoice;
import io.montage.jobs.Job;
import io.montage.jobs.JobProgress;
import io.montage.jobs.JobStatus;
import io.montage.jobs.Jobs;
import io.montage.tenants.Tenant;
import io.montage.tenants.TenantService;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * A tenant's newest jobs, filtered by status and type, or (the tenant box cleared) all tenants' newest jobs, with
 * progress, pace and time left updated by server push while the view is open, 50 a page; "Inspect" opens one job
 * below (cancel, its item errors, its results).
 */
@Prototype
@Route(value = "jobs", layout = MainLayout.class)
@PageTitle("Jobs · Montage console")
public class JobsView extends VerticalLayout implements BeforeEnterObserver {

    /** Newest jobs shown: the live table is rewritten each refresh, so it stays short. */
    static final int SHOWN = 50;
    private static final String ANY = "any";

    /**
     * What the refresh thread reads; replaced whole by the UI thread when a filter or the page changes. A null
     * tenant is all tenants (no status or type filter then: {@link Jobs#listAllTenants}); {@code after} is the
     * last job of the page before (null: the newest page).
     */
    private record Filter(Tenant tenant, JobStatus status, String type, UUID after) {

        Filter from(UUID job) {
            return new Filter(tenant, status, type, job);
        }
    }

    private record Snapshot(Filter filter, List<Job> jobs, Instant at) {
    }

    private final TenantService tenants;
    private final Jobs jobs;
    private final JobDetail detail;
    private final ComboBox<Tenant> tenant = TenantChoice.box("jobs-tenant");
    private final Select<String> status = new Select<>();
    private final TextField type = new TextField("Type");
    private final LiveTable<Job> table = new LiveTable<>("jobs", "No job matches.");
    private final Span updated = new Span();
    private final Button newest = new Button("Newest jobs", e -> page(null));
    private final Button older = new Button("Older jobs", e -> page(lastShown()));
    private volatile Filter filter;
    private List<Job> shown = List.of();

    public JobsView(TenantService tenants, Jobs jobs, JobDetail detail, Refresher refresher) {
        this.tenants = tenants;
        this.jobs = jobs;
        this.detail = detail;
        columns();
        updated.setId("jobs-updated");
        newest.setId("jobs-newest");
        older.setId("jobs-older");
        newest.addThemeVariants(ButtonVariant.SMALL);
        older.addThemeVariants(ButtonVariant.SMALL);
        HorizontalLayout paging = new HorizontalLayout(updated, newest, older); // above the table: it is long
        paging.setDefaultVerticalComponentAlignment(FlexComponent.Alignment.BASELINE);
        add(new H2("Jobs"), filters(), paging, table, detail);
        refresher.follow(this, () -> read(filter), this::show);
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        TenantChoice.fill(tenant, tenants, event);
        filter();
    }

    private HorizontalLayout filters() {
        tenant.setPlaceholder("All tenants");
        tenant.setClearButtonVisible(true);
        status.setId("jobs-status");
        status.setLabel("Status");
        status.setItems(ANY, "queued", "running", "succeeded", "failed", "cancelled");
        status.setValue(ANY);
        type.setId("jobs-type");
        type.setPlaceholder(ANY);
        type.setClearButtonVisible(true);
        tenant.addValueChangeListener(e -> filter());
        status.addValueChangeListener(e -> filter());
        type.addValueChangeListener(e -> filter());
        HorizontalLayout form = new HorizontalLayout(tenant, status, type);
        form.setDefaultVerticalComponentAlignment(FlexComponent.Alignment.BASELINE);
        return form;
    }

    private void columns() {
        table.text("Job", j -> j.id().toString().substring(0, 8))
                .text("Tenant", j -> tenantOf(j).map(Tenant::slug).orElse(""))
                .text("Type", Job::type)
                .text("Status", j -> j.status().wireName())
                .component("Progress", JobsView::progress)
                .text("Items", j -> j.succeededItems() + " ok · " + j.failedItems() + " failed · " + j.cancelledItems()
                        + " cancelled · " + j.pendingItems() + " pending of " + j.totalItems())
                .text("Items/s", j -> {
                    Double rate = JobProgress.of(j).itemsPerSecond();
                    return rate == null ? "" : rate;
                })
                .text("ETA", j -> Format.seconds(JobProgress.of(j).etaSeconds()))
                .text("Created", j -> Format.instant(j.createdAt()))
                .component("", this::inspectButton);
    }

    private static Component progress(Job job) {
        double done = job.totalItems() == 0 ? 1 : (job.totalItems() - job.pendingItems()) / (double) job.totalItems();
        ProgressBar bar = new ProgressBar(0, 1, done);
        bar.setId("progress-" + job.id());
        bar.setWidth("8em");
        Span percent = new Span((int) Math.floor(done * 100) + " %");
        HorizontalLayout cell = new HorizontalLayout(bar, percent);
        cell.setDefaultVerticalComponentAlignment(FlexComponent.Alignment.CENTER);
        return cell;
    }

    private Button inspectButton(Job job) {
        Button inspect = new Button("Inspect", e -> tenantOf(job).ifPresent(owner -> detail.show(owner, job)));
        inspect.setId("inspect-" + job.id());
        inspect.addThemeVariants(ButtonVariant.SMALL);
        return inspect;
    }

    /** The job's tenant: one the tenant box offers, or (created since the view opened) read again. */
    private Optional<Tenant> tenantOf(Job job) {
        return tenant.getListDataView().getItems().filter(t -> t.id().equals(job.tenantId())).findFirst()
                .or(() -> tenants.find(job.tenantId()));
    }

    private void filter() {
        boolean all = tenant.getValue() == null;
        status.setEnabled(!all);
        type.setEnabled(!all);
        type.setHelperText(all ? "Pick a tenant to filter by status or type" : null);
        String typeName = type.getValue().strip();
        filter = all ? new Filter(null, null, null, null) : new Filter(tenant.getValue(),
                ANY.equals(status.getValue()) ? null : JobStatus.fromWireName(status.getValue()),
                typeName.isEmpty() ? null : typeName, null);
        show(read(filter));
    }

    private UUID lastShown() {
        return shown.getLast().id();
    }

    private void page(UUID after) {
        filter = filter.from(after);
        show(read(filter));
    }

    private Snapshot read(Filter current) {
        List<Job> found = current == null ? List.of() // not yet entered
                : current.tenant() == null ? jobs.listAllTenants(current.after(), SHOWN)
                : jobs.list(current.tenant().id(), current.status(), current.type(), current.after(), SHOWN);
        return new Snapshot(current, found, Instant.now());
    }

    private void show(Snapshot snapshot) {
        if (snapshot.filter() == null || snapshot.filter() != filter) {
            return; // not entered yet, or read before the filter changed: the next refresh brings the right rows
        }
        shown = snapshot.jobs();
        table.show(shown);
        newest.setEnabled(snapshot.filter().after() != null);
        older.setEnabled(shown.size() == SHOWN);
        updated.setText("Updated " + Format.instant(snapshot.at()) + " (live)");
    }
}
