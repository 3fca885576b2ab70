package io.montage.audit;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;

import java.util.List;

/** The audit log: rows are added and read, never changed (the grants allow neither UPDATE nor DELETE). */
@JdbcRepository(dialect = Dialect.POSTGRES)
interface AuditRepository extends GenericRepository<AuditEntry, Long> {

    AuditEntry save(AuditEntry entry);

    /** Newest first; an empty filter matches every row. The (at, id) index serves the order and the limit. */
    @Query("SELECT * FROM audit_log WHERE (:actor = '' OR actor = :actor) AND (:action = '' OR action = :action) "
            + "AND (:outcome = '' OR outcome = :outcome) AND (:text = '' OR strpos(lower(target), lower(:text)) > 0 "
            + "OR strpos(lower(coalesce(detail, '')), lower(:text)) > 0) ORDER BY at DESC, id DESC LIMIT :limit")
    List<AuditEntry> search(String actor, String action, String outcome, String text, int limit);
}
