package io.montage.models;

import io.montage.db.Database;
import io.montage.errors.MontageException;
import io.montage.jobs.JobIntake;
import io.montage.jobs.contracts.JobCodec;
import io.montage.jobs.contracts.NoParams;
import io.montage.jobs.contracts.ValidateModelJob;
import io.montage.json.JsonCodec;
import io.montage.jobs.Priority;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.io.InputStream;
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
    /**
     * What a request's {@code model} may say instead of a model's name to mean "the tenant's default model", as
     * leaving it out does: clients that always send a model (OpenAI's) can use the default (ADR 0025). No model may
     * be called this.
     */
    public static final String DEFAULT_ALIAS = "default";

    private final Database database;
    private final ModelRepository models;
    private final BundleFetcher fetcher;
    private final BundleVerifier verifier;
    private final JobIntake queue;
    private final ModelsConfig config;
    private final JsonCodec json;
    private final JobCodec codec;

    public ModelRegistry(Database database, ModelRepository models, BundleFetcher fetcher, BundleVerifier verifier,
                         JobIntake queue, ModelsConfig config, JsonCodec json, JobCodec codec) {
        this.database = database;
        this.models = models;
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
        return register(source, source);
    }

    /**
     * Registers an uploaded .zip or .tar.gz ({@code fileName} is the uploader's name for it): the upload is
     * streamed into the store's staging area, never more than {@code max-bundle-bytes} of it (bundle_too_large),
     * registered as {@link #uploadSource}, and deleted however the registration ends.
     */
    public Model registerUpload(InputStream upload, String fileName) {
        Path received = staging();
        try {
            Path archive = fetcher.receive(upload, fileName, received);
            return register(archive.toString(), uploadSource(fileName));
        } finally {
            deleteTree(received);
        }
    }

    /** What an upload is registered (and audited) as: its file name, made safe for a path and a log. */
    public static String uploadSource(String fileName) {
        return "upload " + BundleFetcher.safeFileName(fileName);
    }

    /** Fetches from {@code source}; {@code origin} is what the models row says it came from. */
    private Model register(String source, String origin) {
        Path store = Path.of(config.store()).toAbsolutePath();
        Path staging = staging();
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
            return database.asSystem(c -> insertAndQueueValidation(c, manifest, origin, target));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            deleteTree(staging);
        }
    }

    /** A fresh directory under the store (the same disk, so a verified bundle moves in without a copy). */
    private Path staging() {
        return Path.of(config.store()).toAbsolutePath().resolve(".staging").resolve(UUID.randomUUID().toString());
    }

    private Model insertAndQueueValidation(Connection c, ModelManifest manifest, String source, Path bundle)
            throws SQLException {
        UUID id = UUID.randomUUID();
        models.insert(id, manifest.name(), manifest.version(), manifest.kind(),
                manifest.fused() ? null : manifest.embeddingDim(),
                json.write(manifest), source, bundle.toString());
        queue.enqueueForPlatform(c, codec.job(ValidateModelJob.CONTRACT, Priority.INTERACTIVE, NoParams.NONE, null,
                null, List.of(codec.item(ValidateModelJob.CONTRACT, id.toString(), new ValidateModelJob.Input(id)))));
        return models.findById(id).orElseThrow();
    }

    public Optional<Model> find(UUID id) {
        return database.asSystem(c -> models.findById(id));
    }

    public Optional<Model> find(String name, String version) {
        return database.asSystem(c -> models.findByNameAndVersion(name, version));
    }

    /** Every model by name, each name's newest version first. */
    public List<Model> list() {
        return database.asSystem(c -> models.listByName());
    }

    /** The models that may serve requests. */
    public List<Model> ready() {
        return list().stream().filter(m -> m.status() == ModelStatus.READY).toList();
    }

    /**
     * A ready model by reference: {@code name@version}, or {@code name} for its newest ready version that is not an
     * int8 or bf16 variant (registering a variant must not change what a bare name answers with: trading fidelity
     * for speed is asked for by {@code name@version}); its newest variant when only variants are ready.
     *
     * @throws MontageException 404 model_not_found when no ready model matches
     */
    public Model resolve(String reference) {
        int at = reference.indexOf('@');
        String name = at < 0 ? reference : reference.substring(0, at);
        String version = at < 0 ? null : reference.substring(at + 1);
        return ready().stream()
                .filter(m -> m.name().equals(name) && (version == null || m.version().equals(version)))
                .max(Comparator.comparing((Model m) -> version != null || m.manifest().variant() == null)
                        .thenComparing(Model::readyAt))
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
            if (models.setStatus(id, status.wireName(), reason) == 0) {
                throw MontageException.notFound("model_not_found", "no model " + id);
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
