package io.montage.models;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The models table (the system role only: tenants may read it, never write it). The status moves' NOTIFY and the
 * validation task stay with {@link ModelRegistry}, in the same transaction.
 */
@JdbcRepository(dialect = Dialect.POSTGRES)
interface ModelRepository extends GenericRepository<Model, UUID> {

    /**
     * kind and embedding_dim repeat the manifest's as columns of their own, for constraints and joins; a fused
     * model has no embedding space, so no embedding_dim (NULL).
     */
    @Query("INSERT INTO models (id, name, version, kind, embedding_dim, manifest, source, bundle_path) "
            + "VALUES (:id, :name, :version, :kind, :embeddingDim, CAST(:manifest AS jsonb), :source, :bundlePath)")
    void insert(UUID id, String name, String version, String kind, @Nullable Integer embeddingDim, String manifest, String source,
                String bundlePath);

    Optional<Model> findById(UUID id);

    Optional<Model> findByNameAndVersion(String name, String version);

    /** By name, each name's newest version first. */
    @Query("SELECT * FROM models ORDER BY name, created_at DESC")
    List<Model> listByName();

    /** {@code status} is a wire name; ready_at and retired_at are set on the database's clock. */
    @Query("UPDATE models SET status = :status, failure_reason = :reason, "
            + "ready_at = CASE WHEN :status = 'ready' THEN now() ELSE ready_at END, "
            + "retired_at = CASE WHEN :status = 'retired' THEN now() ELSE retired_at END WHERE id = :id")
    long setStatus(UUID id, String status, @Nullable String reason);
}
