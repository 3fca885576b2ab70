package io.montage.workers;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;

import java.util.List;
import java.util.UUID;

/**
 * The workers table (the system role only). Every time is the database's {@code now()}, never a worker machine's
 * clock: liveness compares heartbeats with the database's time.
 */
@JdbcRepository(dialect = Dialect.POSTGRES)
interface WorkerRepository extends GenericRepository<WorkerNode, UUID> {

    @Query("INSERT INTO workers (id, host, pid, device, capabilities) "
            + "VALUES (:id, :host, :pid, :device, :capabilities)")
    void register(UUID id, String host, long pid, @Nullable String device, List<String> capabilities);

    void update(@Id UUID id, List<String> capabilities);

    @Query("SELECT EXISTS (SELECT 1 FROM workers WHERE status = 'running' AND :capability = ANY(capabilities) "
            + "AND heartbeat_at > now() - make_interval(secs => :seconds))")
    boolean anyLiveWith(String capability, double seconds);

    /**
     * Leaves the status alone (a draining worker still heartbeats) and returns it, so that a worker found lost can
     * say it is back in a second statement: the status triggers a notification (V19), a heartbeat must not.
     */
    @Query("UPDATE workers SET heartbeat_at = now() WHERE id = :id RETURNING status")
    @Nullable
    String heartbeat(UUID id);

    @Query("UPDATE workers SET status = 'running', lost_at = NULL WHERE id = :id AND status = 'lost'")
    void backFromLost(UUID id);

    @Query("SELECT EXISTS (SELECT 1 FROM workers WHERE status IN ('running', 'draining') "
            + "AND heartbeat_at < now() - make_interval(secs => :seconds))")
    boolean anySilentFor(double seconds);

    /** Only after {@link #anySilentFor}: even an UPDATE of no row fires the status trigger's notification. */
    @Query("UPDATE workers SET status = 'lost', lost_at = now() WHERE status IN ('running', 'draining') "
            + "AND heartbeat_at < now() - make_interval(secs => :seconds)")
    int markLost(double seconds);

    @Query("DELETE FROM workers WHERE status IN ('stopped', 'lost') "
            + "AND coalesce(stopped_at, lost_at) < now() - make_interval(secs => :seconds)")
    int deleteEndedBefore(double seconds);

    @Query("UPDATE workers SET status = 'draining', heartbeat_at = now() WHERE id = :id")
    void draining(UUID id);

    @Query("UPDATE workers SET status = 'stopped', stopped_at = now() WHERE id = :id")
    void stopped(UUID id);

    @Query("SELECT * FROM workers ORDER BY started_at DESC LIMIT 200")
    List<WorkerNode> newest();
}
