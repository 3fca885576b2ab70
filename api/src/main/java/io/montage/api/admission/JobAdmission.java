package io.montage.api.admission;

import io.montage.jobs.Job;
import io.montage.jobs.NewItem;
import io.montage.quotas.QuotaRoom;
import io.montage.quotas.Quotas;
import io.montage.quotas.TenantQuotas;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Iterator;
import java.util.UUID;

/**
 * Admits a bulk job inside the transaction that enqueues it, without holding a lock while its upload streams: the
 * tenant's in-flight jobs and today's items are checked at the start, the items are counted as they stream (and
 * refused as soon as they pass the per-job cap or what was left of today's quota), and the count is recorded last.
 * Recording locks the tenant's usage row until the commit, so concurrent submissions pass it one at a time; the
 * in-flight count is checked again after it, so they cannot together exceed either quota.
 */
@Singleton
public class JobAdmission {

    /** A submission under way: the quotas it was admitted under and its items, counted as they are read. */
    public static final class Admitted {
        private final TenantQuotas quotas;
        private final Counted items;

        private Admitted(TenantQuotas quotas, Counted items) {
            this.quotas = quotas;
            this.items = items;
        }

        /** The job's items, to hand to the queue in place of the originals. */
        public Iterator<NewItem> items() {
            return items;
        }
    }

    private final Quotas quotas;
    private final RequestCosts costs;

    public JobAdmission(Quotas quotas, RequestCosts costs) {
        this.quotas = quotas;
        this.costs = costs;
    }

    /** Refuses a job the tenant has no room for; else counts its items from now on. */
    public Admitted start(Connection c, Iterator<NewItem> items) throws SQLException {
        TenantQuotas tenantQuotas = quotas.of(c);
        quotas.inflightJobs(c, tenantQuotas).require(1);
        QuotaRoom today = quotas.itemsToday(c, tenantQuotas);
        today.require(1);
        return new Admitted(tenantQuotas, new Counted(items, today, costs));
    }

    /** Last in the job's transaction: records its items and checks the quotas once more (a refusal rolls back). */
    public void finish(Connection c, UUID tenantId, Admitted admitted, Job job) throws SQLException {
        quotas.recordItems(c, tenantId, job.totalItems());
        QuotaRoom inflight = quotas.inflightJobs(c, admitted.quotas); // this job included
        new QuotaRoom(inflight.quota(), inflight.limit(), inflight.used() - 1).require(1);
    }

    /** Items counted as they are read: refused the moment they pass the job cap or today's room. */
    private static final class Counted implements Iterator<NewItem> {
        private final Iterator<NewItem> items;
        private final QuotaRoom today;
        private final RequestCosts costs;
        private long count;

        Counted(Iterator<NewItem> items, QuotaRoom today, RequestCosts costs) {
            this.items = items;
            this.today = today;
            this.costs = costs;
        }

        @Override
        public boolean hasNext() {
            return items.hasNext();
        }

        @Override
        public NewItem next() {
            NewItem item = items.next();
            count++;
            if (count > costs.jobItemCap()) {
                throw costs.tooManyJobItems();
            }
            if (count > today.left()) {
                throw today.exceeded(count);
            }
            return item;
        }
    }
}
