package io.montage.models;

import io.montage.db.Database;
import io.montage.db.Rows;
import io.montage.errors.MontageException;
import io.montage.jobs.JobIntake;
import io.montage.jobs.contracts.JobCodec;
import io.montage.jobs.contracts.NoParams;
import io.montage.jobs.contracts.ValidateModelJob;
import io.montage.json.JsonCodec;
import io.montage.jobs.Priority;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The model registry. Registering verifies a bundle (manifest, files, checksums), stores a verified copy, and
 * queues a {@value ValidateModelJob#NAME} task: a worker loads the model and runs a smoke inference before the model
 * becomes ready. A bad bundle never reaches a worker's serving set.
 */
@Singleton
public class ModelRegistry {

    /** NOTIFY channel: payload is a model id whose status changed. */
    public static final String CHANNEL = "montage_models";

    private static final String COLUMNS =
            "id, name, version, manifest::text AS manifest, status, failure_reason, source, bundle_path, created_at, ready_at";

    private final Database database;
    private final BundleFetcher fetcher;
    private final BundleVerifier verifier;
    private final JobIntake queue;
    private final ModelsConfig config;
    private final JsonCodec json;
    private final JobCodec codec;

    public ModelRegistry(Database database, BundleFetcher fetcher, BundleVerifier verifier, JobIntake queue,
                         ModelsConfig config, JsonCodec json, JobCodec codec) {
        this.database = database;
        this.fetcher = fetcher;
        this.verifier = verifier;
        this.queue = queue;
        this.config = config;
        this.json = json;
        this.codec = codec;
    }

    /**
     * Registers the bundle at {@code source} (directory, .zip or .tar.gz; a path or an http(s) URL). Registering
     * the same name, version and files again returns the existing model; other files under a registered name and
     * version are a conflict.
     */
    public Model register(String source) {
        Path store = Path.of(config.store()).toAbsolutePath();
        Path staging = store.resolve(".staging").resolve(UUID.randomUUID().toString());
        try {
            Path bundle = fetcher.fetch(source, staging);
            ModelManifest manifest = verifier.verify(bundle);
            Optional<Model> existing = find(manifest.name(), manifest.version());
            if (existing.isPresent()) {
                if (existing.get().manifest().files().equals(manifest.files())) {
                    return existing.get();
                }
                throw MontageException.conflict("model_version_exists", manifest.name() + "@" + manifest.version()
                        + " is registered with different files; give the new bundle a new version");
            }
            Path target = store.resolve(manifest.name()).resolve(manifest.version());
            deleteTree(target); // a leftover of a registration that failed before its row was written
            Files.createDirectories(target.getParent());
            Files.move(bundle, target, StandardCopyOption.ATOMIC_MOVE);
            return database.asSystem(c -> insertAndQueueValidation(c, manifest, source, target));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            deleteTree(staging);
        }
    }

    private Model insertAndQueueValidation(Connection c, ModelManifest manifest, String source, Path bundle)
            throws SQLException {
        UUID id;
        try (PreparedStatement insert = c.prepareStatement(
                "INSERT INTO models (name, version, kind, embedding_dim, manifest, source, bundle_path) "
                        + "VALUES (?, ?, ?, ?, ?::jsonb, ?, ?) RETURNING id")) {
            insert.setString(1, manifest.name());
            insert.setString(2, manifest.version());
            insert.setString(3, manifest.kind());
            insert.setInt(4, manifest.embeddingDim());
            insert.setString(5, json.write(manifest));
            insert.setString(6, source);
            insert.setString(7, bundle.toString());
            try (ResultSet rs = insert.executeQuery()) {
                rs.next();
                id = rs.getObject(1, UUID.class);
            }
        }
        queue.enqueueForPlatform(c, codec.job(ValidateModelJob.CONTRACT, Priority.INTERACTIVE, NoParams.NONE, null,
                null, List.of(codec.item(ValidateModelJob.CONTRACT, id.toString(), new ValidateModelJob.Input(id)))));
        return find(c, id).orElseThrow();
    }

    public Optional<Model> find(UUID id) {
        return database.asSystem(c -> find(c, id));
    }

    public Optional<Model> find(String name, String version) {
        return database.asSystem(c -> {
            try (PreparedStatement select = c.prepareStatement(
                    "SELECT " + COLUMNS + " FROM models WHERE name = ? AND version = ?")) {
                select.setString(1, name);
                select.setString(2, version);
                return one(select);
            }
        });
    }

    /** Every model, newest first. */
    public List<Model> list() {
        return database.asSystem(c -> {
            try (PreparedStatement select = c.prepareStatement(
                    "SELECT " + COLUMNS + " FROM models ORDER BY name, created_at DESC")) {
                return all(select);
            }
        });
    }

    /** The models that may serve requests. */
    public List<Model> ready() {
        return list().stream().filter(m -> m.status() == ModelStatus.READY).toList();
    }

    /**
     * A ready model by reference: {@code name@version}, or {@code name} for its newest ready version.
     *
     * @throws MontageException 404 model_not_found when no ready model matches
     */
    public Model resolve(String reference) {
        int at = reference.indexOf('@');
        String name = at < 0 ? reference : reference.substring(0, at);
        String version = at < 0 ? null : reference.substring(at + 1);
        return ready().stream()
                .filter(m -> m.name().equals(name) && (version == null || m.version().equals(version)))
                .max(Comparator.comparing(Model::readyAt))
                .orElseThrow(() -> MontageException.notFound("model_not_found",
                        "no ready model '" + reference + "'; GET /v1/models lists them"));
    }

    public void markReady(UUID id) {
        setStatus(id, ModelStatus.READY, null);
    }

    public void markFailed(UUID id, String reason) {
        setStatus(id, ModelStatus.FAILED, reason);
    }

    public void retire(UUID id) {
        setStatus(id, ModelStatus.RETIRED, null);
    }

    private void setStatus(UUID id, ModelStatus status, String reason) {
        database.asSystem(c -> {
            try (PreparedStatement update = c.prepareStatement(
                    "UPDATE models SET status = ?, failure_reason = ?, "
                            + "ready_at = CASE WHEN ? = 'ready' THEN now() ELSE ready_at END, "
                            + "retired_at = CASE WHEN ? = 'retired' THEN now() ELSE retired_at END WHERE id = ?")) {
                update.setString(1, status.wireName());
                update.setString(2, reason);
                update.setString(3, status.wireName());
                update.setString(4, status.wireName());
                update.setObject(5, id);
                if (update.executeUpdate() == 0) {
                    throw MontageException.notFound("model_not_found", "no model " + id);
                }
            }
            try (PreparedStatement notify = c.prepareStatement("SELECT pg_notify(?, ?)")) {
                notify.setString(1, CHANNEL);
                notify.setString(2, id.toString());
                notify.execute();
            }
            return null;
        });
    }

    /** Sets the model a tenant's requests use when they name none. */
    public void setTenantDefault(UUID tenantId, UUID modelId) {
        database.inTenant(tenantId, c -> {
            try (PreparedStatement update = c.prepareStatement("UPDATE tenants SET default_model_id = ? WHERE id = ?")) {
                update.setObject(1, modelId);
                update.setObject(2, tenantId);
                return update.executeUpdate();
            }
        });
    }

    /** For each model some tenants use by default, those tenants' slugs (the console's models view). */
    public Map<UUID, List<String>> tenantDefaults() {
        return database.asSystem(c -> {
            try (PreparedStatement select = c.prepareStatement(
                    "SELECT default_model_id, slug FROM tenants WHERE default_model_id IS NOT NULL ORDER BY slug");
                 ResultSet rs = select.executeQuery()) {
                Map<UUID, List<String>> defaults = new HashMap<>();
                while (rs.next()) {
                    defaults.computeIfAbsent(rs.getObject(1, UUID.class), id -> new ArrayList<>()).add(rs.getString(2));
                }
                return defaults;
            }
        });
    }

    /** The tenant's default model if one is set and still ready. */
    public Optional<Model> tenantDefault(UUID tenantId) {
        UUID modelId = database.inTenant(tenantId, c -> {
            try (PreparedStatement select = c.prepareStatement("SELECT default_model_id FROM tenants WHERE id = ?")) {
                select.setObject(1, tenantId);
                try (ResultSet rs = select.executeQuery()) {
                    return rs.next() ? rs.getObject(1, UUID.class) : null;
                }
            }
        });
        return modelId == null ? Optional.empty()
                : find(modelId).filter(m -> m.status() == ModelStatus.READY);
    }

    private Optional<Model> find(Connection c, UUID id) throws SQLException {
        try (PreparedStatement select = c.prepareStatement("SELECT " + COLUMNS + " FROM models WHERE id = ?")) {
            select.setObject(1, id);
            return one(select);
        }
    }

    private Optional<Model> one(PreparedStatement select) throws SQLException {
        List<Model> models = all(select);
        return models.isEmpty() ? Optional.empty() : Optional.of(models.getFirst());
    }

    private List<Model> all(PreparedStatement select) throws SQLException {
        List<Model> models = new ArrayList<>();
        try (ResultSet rs = select.executeQuery()) {
            while (rs.next()) {
                models.add(new Model(rs.getObject("id", UUID.class), rs.getString("name"), rs.getString("version"),
                        json.read(rs.getString("manifest"), ModelManifest.class), ModelStatus.fromWireName(rs.getString("status")),
                        rs.getString("failure_reason"), rs.getString("source"), Path.of(rs.getString("bundle_path")),
                        Rows.instant(rs, "created_at"), Rows.instant(rs, "ready_at")));
            }
        }
        return models;
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
