package io.montage.quotas;

import io.montage.db.Database;
import io.montage.db.Lead;
import io.montage.jobs.Priority;
import jakarta.inject.Singleton;
import org.postgresql.util.PSQLException;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.Optional;
import java.util.UUID;

/**
 * A tenant's quotas (its own where an operator set them, else {@link QuotaDefaults}) and its usage of each. Setting
 * quotas is administration (system role); reading them and counting usage run inside the tenant's own transaction,
 * so a check and the write it guards commit together.
 * <p>
 * Counting never holds a lock while a request streams: the daily item count is one upsert at the end of the
 * transaction that enqueues the items ({@link #recordItems}), checked against the limit as it is written, so
 * concurrent submissions queue on that row only for their commit and the limit is never overshot.
 */
@Singleton
public class Quotas {

    private static final String TODAY = "(now() AT TIME ZONE 'UTC')::date";
    /** V36's check: today's count never passes the limit it was written under. */
    private static final String WITHIN_LIMIT = "tenant_usage_within_limit";
    private static final String RECORD_ITEMS = "INSERT INTO tenant_usage (tenant_id, day, items, items_limit) "
            + "VALUES (?, " + TODAY + ", ?, coalesce((SELECT items_per_day FROM tenant_quotas "
            + "WHERE tenant_id = montage_current_tenant()), ?)) "
            + "ON CONFLICT (tenant_id, day) DO UPDATE SET items = tenant_usage.items + excluded.items, "
            + "items_limit = excluded.items_limit RETURNING items";

    private final Database database;
    private final QuotaDefaults defaults;

    public Quotas(Database database, QuotaDefaults defaults) {
        this.database = database;
        this.defaults = defaults;
    }

    /** The quotas that apply to the tenant now. */
    public TenantQuotas of(UUID tenantId) {
        return database.inTenant(tenantId, this::of);
    }

    /** The quotas of the tenant of the caller's transaction. */
    public TenantQuotas of(Connection c) throws SQLException {
        return own(c).over(defaults);
    }

    /** The quotas the tenant has of its own (a null one is the default). */
    public QuotaOverrides own(UUID tenantId) {
        return database.inTenant(tenantId, Quotas::own);
    }

    /**
     * Every admission check reads this, so it stays one statement straight from the driver (a repository's read
     * of the same row measured 15-25 % slower, ADR 0004).
     */
    private static QuotaOverrides own(Connection c) throws SQLException {
        try (PreparedStatement select = c.prepareStatement("SELECT items_per_day, inflight_jobs, collection_items, "
                + "requests_per_minute, burst FROM tenant_quotas WHERE tenant_id = montage_current_tenant()");
             ResultSet rs = select.executeQuery()) {
            return !rs.next() ? QuotaOverrides.NONE : new QuotaOverrides(rs.getObject(1, Long.class),
                    rs.getObject(2, Integer.class), rs.getObject(3, Long.class), rs.getObject(4, Integer.class),
                    rs.getObject(5, Integer.class));
        }
    }

    /**
     * Makes {@code own} the tenant's quotas: each field its own value, or the default where it is null
     * ({@link QuotaOverrides#NONE}: the defaults throughout). Returns the quotas now in force.
     */
    public TenantQuotas set(UUID tenantId, QuotaOverrides own) {
        own.validate();
        database.asSystem(c -> {
            // one statement, so two operators saving a tenant's first quotas at once cannot collide
            try (PreparedStatement upsert = c.prepareStatement("INSERT INTO tenant_quotas (tenant_id, items_per_day, "
                    + "inflight_jobs, collection_items, requests_per_minute, burst) VALUES (?, ?, ?, ?, ?, ?) "
                    + "ON CONFLICT (tenant_id) DO UPDATE SET items_per_day = excluded.items_per_day, "
                    + "inflight_jobs = excluded.inflight_jobs, collection_items = excluded.collection_items, "
                    + "requests_per_minute = excluded.requests_per_minute, burst = excluded.burst, "
                    + "updated_at = now()")) {
                upsert.setObject(1, tenantId);
                upsert.setObject(2, own.itemsPerDay(), Types.BIGINT);
                upsert.setObject(3, own.inflightJobs(), Types.INTEGER);
                upsert.setObject(4, own.collectionItems(), Types.BIGINT);
                upsert.setObject(5, own.requestsPerMinute(), Types.INTEGER);
                upsert.setObject(6, own.burst(), Types.INTEGER);
                return upsert.executeUpdate();
            }
        });
        return own.over(defaults);
    }

    /** What the tenant uses of each quota now. */
    public QuotaUsage usage(UUID tenantId) {
        return database.inTenant(tenantId, c -> {
            TenantQuotas quotas = of(c);
            return new QuotaUsage(itemsToday(c, quotas).used(), (int) inflightJobs(c, quotas).used(),
                    collectionItems(c, quotas).used());
        });
    }

    /** Items submitted today (UTC) against the daily quota. */
    public QuotaRoom itemsToday(Connection c, TenantQuotas quotas) throws SQLException {
        try (PreparedStatement select = c.prepareStatement(
                "SELECT coalesce(sum(items), 0) FROM tenant_usage WHERE tenant_id = montage_current_tenant() "
                        + "AND day = " + TODAY)) {
            return new QuotaRoom(Quota.ITEMS_PER_DAY, quotas.itemsPerDay(), single(select));
        }
    }

    /**
     * The statement that adds {@code items} to today's count under the daily limit that applies (the tenant's own,
     * read by the same statement, else the default), failing when the new total passes it (V36's check): sent as the
     * trailer of the enqueue's trip ({@link io.montage.db.Database#inTenant(UUID, io.montage.db.Durability, Lead,
     * Lead)}) the failure rolls the job back with it, and {@link #refusal} says what the tenant is told. It locks the
     * tenant's usage row until the commit, so it goes last.
     */
    public Lead<Long> itemsRecorded(UUID tenantId, long items) {
        return Lead.fixedWidth(RECORD_ITEMS, params -> params.add(tenantId).add(items).add(defaults.itemsPerDay()),
                rows -> {
                    rows.next();
                    return rows.getLong(1);
                });
    }

    /**
     * Adds {@code items} to today's count, refusing (and so rolling back the caller's transaction) when that takes
     * the tenant over its daily quota. Call it last in the transaction that enqueues the items: it locks the
     * tenant's usage row until the commit.
     */
    public void recordItems(Connection c, UUID tenantId, long items) throws SQLException {
        try {
            itemsRecorded(tenantId, items).runOn(c);
        } catch (SQLException e) {
            throw refusal(e, tenantId, items).orElseThrow(() -> e);
        }
    }

    /**
     * 429 quota_exceeded when {@code failure} is today's count refusing {@code items} (V36's check), with the limit
     * and the usage read again (the failed transaction can read nothing more); else empty.
     */
    public Optional<QuotaExceededException> refusal(Throwable failure, UUID tenantId, long items) {
        for (Throwable e = failure; e != null; e = e.getCause()) {
            if (e instanceof PSQLException sql && sql.getServerErrorMessage() != null
                    && WITHIN_LIMIT.equals(sql.getServerErrorMessage().getConstraint())) {
                return Optional.of(database.inTenant(tenantId, c -> itemsToday(c, of(c))).exceeded(items));
            }
        }
        return Optional.empty();
    }

    /**
     * The tenant's bulk jobs queued or running, as the caller's transaction sees them (its own new job included).
     * After {@link #recordItems} the statement sees every submission that committed before, as they all pass that
     * row in turn.
     */
    public QuotaRoom inflightJobs(Connection c, TenantQuotas quotas) throws SQLException {
        try (PreparedStatement select = c.prepareStatement(
                "SELECT count(*) FROM jobs WHERE tenant_id = montage_current_tenant() "
                        + "AND status IN ('queued', 'running') AND priority = ?")) {
            select.setInt(1, Priority.BULK);
            return new QuotaRoom(Quota.INFLIGHT_JOBS, quotas.inflightJobs(), single(select));
        }
    }

    /** Items stored across the tenant's collections. */
    public QuotaRoom collectionItems(Connection c, TenantQuotas quotas) throws SQLException {
        try (PreparedStatement select = c.prepareStatement(
                "SELECT coalesce(sum(item_count), 0) FROM collections WHERE tenant_id = montage_current_tenant()")) {
            return new QuotaRoom(Quota.COLLECTION_ITEMS, quotas.collectionItems(), single(select));
        }
    }

    private static long single(PreparedStatement select) throws SQLException {
        try (ResultSet rs = select.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
