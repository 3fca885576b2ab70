package io.montage.quotas;

import io.montage.db.Database;
import io.montage.errors.MontageException;
import io.montage.jobs.Priority;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
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

    private static final String COLUMNS = "items_per_day, inflight_jobs, collection_items, requests_per_minute, burst";
    private static final String TODAY = "(now() AT TIME ZONE 'UTC')::date";

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
        try (PreparedStatement select = c.prepareStatement(
                "SELECT " + COLUMNS + " FROM tenant_quotas WHERE tenant_id = montage_current_tenant()");
             ResultSet rs = select.executeQuery()) {
            TenantQuotas d = defaults.quotas();
            if (!rs.next()) {
                return d;
            }
            return new TenantQuotas(orDefault(rs, 1, d.itemsPerDay()), (int) orDefault(rs, 2, d.inflightJobs()),
                    orDefault(rs, 3, d.collectionItems()), (int) orDefault(rs, 4, d.requestsPerMinute()),
                    (int) orDefault(rs, 5, d.burst()));
        }
    }

    /** Sets the given quotas of a tenant (null fields stay as they are); returns the quotas now in force. */
    public TenantQuotas set(UUID tenantId, QuotaOverrides changes) {
        atLeast("items_per_day", changes.itemsPerDay(), 0);
        atLeast("inflight_jobs", changes.inflightJobs(), 0);
        atLeast("collection_items", changes.collectionItems(), 0);
        atLeast("requests_per_minute", changes.requestsPerMinute(), 1);
        atLeast("burst", changes.burst(), 1);
        if (changes.changesNothing()) {
            return of(tenantId);
        }
        database.asSystem(c -> {
            try (PreparedStatement upsert = c.prepareStatement(
                    "INSERT INTO tenant_quotas (tenant_id, " + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?) "
                            + "ON CONFLICT (tenant_id) DO UPDATE SET "
                            + "items_per_day = coalesce(excluded.items_per_day, tenant_quotas.items_per_day), "
                            + "inflight_jobs = coalesce(excluded.inflight_jobs, tenant_quotas.inflight_jobs), "
                            + "collection_items = coalesce(excluded.collection_items, tenant_quotas.collection_items), "
                            + "requests_per_minute = coalesce(excluded.requests_per_minute, tenant_quotas.requests_per_minute), "
                            + "burst = coalesce(excluded.burst, tenant_quotas.burst), updated_at = now()")) {
                upsert.setObject(1, tenantId);
                upsert.setObject(2, changes.itemsPerDay(), Types.BIGINT);
                upsert.setObject(3, changes.inflightJobs(), Types.INTEGER);
                upsert.setObject(4, changes.collectionItems(), Types.BIGINT);
                upsert.setObject(5, changes.requestsPerMinute(), Types.INTEGER);
                upsert.setObject(6, changes.burst(), Types.INTEGER);
                upsert.executeUpdate();
            }
            return null;
        });
        return of(tenantId);
    }

    /** Drops a tenant's own quotas: the defaults apply again. */
    public TenantQuotas reset(UUID tenantId) {
        database.asSystem(c -> {
            try (PreparedStatement delete = c.prepareStatement("DELETE FROM tenant_quotas WHERE tenant_id = ?")) {
                delete.setObject(1, tenantId);
                delete.executeUpdate();
            }
            return null;
        });
        return of(tenantId);
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
     * Adds {@code items} to today's count, refusing (and so rolling back the caller's transaction) when that
     * takes the tenant over its daily quota. Call it last in the transaction that enqueues the items: it locks the
     * tenant's usage row until the commit.
     */
    public void recordItems(Connection c, UUID tenantId, TenantQuotas quotas, long items) throws SQLException {
        long total;
        try (PreparedStatement upsert = c.prepareStatement(
                "INSERT INTO tenant_usage (tenant_id, day, items) VALUES (?, " + TODAY + ", ?) "
                        + "ON CONFLICT (tenant_id, day) DO UPDATE SET items = tenant_usage.items + excluded.items "
                        + "RETURNING items")) {
            upsert.setObject(1, tenantId);
            upsert.setLong(2, items);
            total = single(upsert);
        }
        new QuotaRoom(Quota.ITEMS_PER_DAY, quotas.itemsPerDay(), total - items).require(items);
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

    private static long orDefault(ResultSet rs, int column, long fallback) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? fallback : value;
    }

    private static void atLeast(String quota, Number value, long minimum) {
        if (value != null && value.longValue() < minimum) {
            throw MontageException.invalid("invalid_quota", quota + " must be at least " + minimum + ", got " + value);
        }
    }
}
