package io.montage.models;

import io.montage.jobs.contracts.ValidateModelJob;
import io.montage.db.Database;
import io.montage.errors.MontageException;
import io.montage.jobs.JobIntake;
import io.montage.jobs.contracts.JobCodec;
import io.montage.json.JsonCodec;
import io.montage.testing.FakeBundle;
import io.montage.testing.SharedContext;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.sun.net.httpserver.HttpServer;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelRegistryTest {

    private static ModelRegistry registry;

    @TempDir
    Path temp;

    @BeforeAll
    static void setUp() {
        registry = SharedContext.bean(ModelRegistry.class);
    }

    private static String uniqueName() {
        return "m-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void aGoodBundleIsStoredAndQueuedForValidation() throws IOException {
        String name = uniqueName();
        Path source = FakeBundle.write(temp.resolve("b"), name, "1.0.0", "weights");
        Model model = registry.register(source.toString());
        assertEquals(ModelStatus.VALIDATING, model.status());
        assertEquals(name + "@1.0.0", model.reference());
        assertTrue(Files.isRegularFile(model.bundlePath().resolve("model.pt")), "the verified copy is in the store");
        assertTrue(!model.bundlePath().startsWith(temp), "the store does not depend on the source staying");
        assertEquals(1, validationTasksFor(model.id()), "a worker is asked to validate it");
        assertThrows(MontageException.class, () -> registry.resolve(name), "not ready, not resolvable");
    }

    @Test
    void registeringTheSameBundleAgainIsHarmlessButOtherFilesUnderTheSameVersionConflict() throws IOException {
        String name = uniqueName();
        Model first = registry.register(FakeBundle.write(temp.resolve("a"), name, "1.0.0", "weights").toString());
        Model again = registry.register(FakeBundle.write(temp.resolve("b"), name, "1.0.0", "weights").toString());
        assertEquals(first.id(), again.id());
        assertEquals(1, validationTasksFor(first.id()));
        MontageException conflict = assertThrows(MontageException.class, () -> registry.register(
                FakeBundle.write(temp.resolve("c"), name, "1.0.0", "other weights").toString()));
        assertEquals("model_version_exists", conflict.code());
        assertEquals(409, conflict.status());
    }

    @Test
    void aMissingFileIsNamed() throws IOException {
        Path bundle = FakeBundle.write(temp.resolve("b"), uniqueName(), "1", "w");
        Files.delete(bundle.resolve("tokenizer.json"));
        MontageException e = assertThrows(MontageException.class, () -> registry.register(bundle.toString()));
        assertEquals("invalid_model_bundle", e.code());
        assertTrue(e.getMessage().contains("tokenizer.json is missing"), e.getMessage());
    }

    @Test
    void noModelMayBeCalledLikeTheDefaultAlias() throws IOException {
        Path bundle = FakeBundle.write(temp.resolve("b"), ModelRegistry.DEFAULT_ALIAS, "1", "w");
        MontageException e = assertThrows(MontageException.class, () -> registry.register(bundle.toString()));
        assertEquals("invalid_model_bundle", e.code());
        assertTrue(e.getMessage().contains("name must not be 'default'"), e.getMessage());
    }

    @Test
    void aBlankSourceNamesNoBundle() {
        assertEquals("bundle_not_found", assertThrows(MontageException.class, () -> registry.register(" ")).code());
    }

    @Test
    void aCorruptFileFailsItsChecksum() throws IOException {
        Path bundle = FakeBundle.write(temp.resolve("b"), uniqueName(), "1", "w");
        Files.writeString(bundle.resolve("model.pt"), "tampered");
        MontageException e = assertThrows(MontageException.class, () -> registry.register(bundle.toString()));
        assertTrue(e.getMessage().contains("model.pt does not match its sha256"), e.getMessage());
    }

    @Test
    void anIncoherentManifestListsEveryProblem() throws IOException {
        Path bundle = FakeBundle.write(temp.resolve("b"), uniqueName(), "1", "w");
        String manifest = Files.readString(bundle.resolve(ModelManifest.FILE_NAME))
                .replace("\"embedding_dim\": 8", "\"embedding_dim\": 0")
                .replace("\"color_mode\": \"L\"", "\"color_mode\": \"CMYK\"");
        Files.writeString(bundle.resolve(ModelManifest.FILE_NAME), manifest);
        MontageException e = assertThrows(MontageException.class, () -> registry.register(bundle.toString()));
        assertTrue(e.getMessage().contains("embedding_dim must be positive"), e.getMessage());
        assertTrue(e.getMessage().contains("color_mode must be RGB or L"), e.getMessage());
    }

    @Test
    void aFusedManifestNeedsItsPredictMethodAndAnOutputItCanAnswer() throws IOException {
        Path bundle = fused(uniqueName(), "\"output\": {\"type\": \"labels\", \"labels\": [\"cat\", \"cat\"]},");
        Files.writeString(bundle.resolve(ModelManifest.FILE_NAME), Files.readString(bundle.resolve(ModelManifest.FILE_NAME))
                .replace("\"predict_method\": \"predict\"", "\"image_method\": \"encode_image\""));
        MontageException e = assertThrows(MontageException.class, () -> registry.register(bundle.toString()));
        assertTrue(e.getMessage().contains("torchscript.predict_method is required"), e.getMessage());
        assertTrue(e.getMessage().contains("output.labels must be distinct"), e.getMessage());

        Path scoreless = fused(uniqueName(), "\"output\": {\"type\": \"score\"},");
        assertTrue(assertThrows(MontageException.class, () -> registry.register(scoreless.toString())).getMessage()
                .contains("output.name must be"));
        Path outputless = fused(uniqueName(), "");
        assertTrue(assertThrows(MontageException.class, () -> registry.register(outputless.toString())).getMessage()
                .contains("output is required for kind fused"));
    }

    @Test
    void aVariantMustNameItsFp32BundleAndCarryItsFidelityAndABareNameKeepsResolvingToTheFp32Version()
            throws IOException {
        String name = uniqueName();
        Model fp32 = registry.register(FakeBundle.write(temp.resolve("fp32"), name, "1.0.0", "weights").toString());
        String sha = fp32.manifest().files().get("model.pt");
        Path int8 = FakeBundle.write(temp.resolve("int8"), name, "1.0.0-int8", "int8 weights");
        String manifest = Files.readString(int8.resolve(ModelManifest.FILE_NAME));
        Files.writeString(int8.resolve(ModelManifest.FILE_NAME), manifest.replace("\"fp32\"", "\"int8\"")
                .replace("\"zero_shot_templates\"", "\"variant\": {\"of\": {\"name\": \"" + name
                        + "\", \"version\": \"1.0.0\", \"model_sha256\": \"" + sha + "\"}, \"method\": \"int8\", "
                        + "\"fidelity\": {\"reference\": \"r\", \"image_cosine_min\": 0.9998, \"image_cosine_mean\": "
                        + "0.9999, \"text_cosine_min\": 0.9999, \"text_cosine_mean\": 1.0}}, \"zero_shot_templates\""));
        Model variant = registry.register(int8.toString());
        assertEquals("1.0.0", variant.manifest().variant().of().version());
        assertEquals(0.9998, variant.manifest().variant().fidelity().imageCosineMin());
        registry.markReady(fp32.id());
        registry.markReady(variant.id());
        assertEquals(fp32.id(), registry.resolve(name).id(), "the newer variant does not take over the bare name");
        assertEquals(variant.id(), registry.resolve(name + "@1.0.0-int8").id());

        Path claimless = FakeBundle.write(temp.resolve("claimless"), name, "1.0.0-bf16", "bf16 weights");
        Files.writeString(claimless.resolve(ModelManifest.FILE_NAME), Files.readString(claimless.resolve(
                ModelManifest.FILE_NAME)).replace("\"fp32\"", "\"bf16\"").replace("\"zero_shot_templates\"",
                "\"variant\": {\"of\": {\"name\": \"other\", \"version\": \"1.0.0-bf16\", \"model_sha256\": \"x\"}, "
                        + "\"method\": \"int8\", \"fidelity\": {\"reference\": \"r\"}}, \"zero_shot_templates\""));
        String problems = assertThrows(MontageException.class, () -> registry.register(claimless.toString()))
                .getMessage();
        for (String problem : List.of("variant.of must name the fp32 bundle", "variant.method must be int8 or bf16 "
                + "and equal precision", "variant.fidelity needs image_cosine_min/mean")) {
            assertTrue(problems.contains(problem), problem + " is missing from " + problems);
        }
    }

    @Test
    void aFusedModelIsRegisteredWithItsOutputAndNoEmbeddingDimension() throws IOException {
        Model model = registry.register(fused(uniqueName(),
                "\"output\": {\"type\": \"labels\", \"labels\": [\"cat\", \"dog\"]},").toString());
        assertTrue(model.manifest().fused());
        assertEquals(List.of("cat", "dog"), model.manifest().output().labels());
        assertEquals(2, model.manifest().output().width());
        assertEquals(1, validationTasksFor(model.id()), "validated by a worker like any model");
        String columns = SharedContext.bean(Database.class).asSystem(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT kind || ':' || coalesce(embedding_dim::text, 'null') "
                    + "FROM models WHERE id = ?")) {
                s.setObject(1, model.id());
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    return rs.getString(1);
                }
            }
        });
        assertEquals("fused:null", columns, "a fused model has no embedding space");
    }

    @Test
    void anOnnxBundleIsVerifiedByItsGraphsChecksums() throws IOException {
        Path clip = onnxBundle("fashion-clip-mini-onnx");
        Model model = registry.register(clip.toString());
        assertEquals(ModelManifest.ONNXRUNTIME, model.manifest().engine());
        assertEquals("image.onnx", model.manifest().onnx().image());
        assertNull(model.manifest().torchscript(), "an ONNX bundle carries no TorchScript");
        assertEquals(1, validationTasksFor(model.id()), "validated by a worker like any model");

        Path tampered = onnxBundle("tuxpaint-fused-mini-onnx");
        Files.write(tampered.resolve("predict.onnx"), new byte[]{1, 2, 3});
        assertTrue(assertThrows(MontageException.class, () -> registry.register(tampered.toString())).getMessage()
                .contains("predict.onnx does not match its sha256"));
    }

    @Test
    void anOnnxManifestNamesTheGraphsOfItsKindAndAKnownEngine() throws IOException {
        Path clip = onnxBundle("fashion-clip-mini-onnx");
        rewrite(clip, "\"text\": \"text.onnx\"", "\"predict\": \"text.onnx\"");
        String problems = assertThrows(MontageException.class, () -> registry.register(clip.toString())).getMessage();
        assertTrue(problems.contains("onnx.image and onnx.text must both be among files"), problems);
        assertTrue(problems.contains("a clip model has no onnx.predict graph"), problems);

        Path fused = onnxBundle("tuxpaint-fused-mini-onnx");
        rewrite(fused, "\"onnx\": {", "\"onnx\": {\"image\": \"predict.onnx\",");
        assertTrue(assertThrows(MontageException.class, () -> registry.register(fused.toString())).getMessage()
                .contains("a fused model has one graph"));

        Path sectionless = onnxBundle("tuxpaint-fused-mini-onnx");
        rewrite(sectionless, "\"onnx\": {", "\"graphs\": {");
        assertTrue(assertThrows(MontageException.class, () -> registry.register(sectionless.toString())).getMessage()
                .contains("image, text and onnx sections are all required"));

        Path unknown = onnxBundle("tuxpaint-fused-mini-onnx");
        rewrite(unknown, "\"engine\": \"onnxruntime\"", "\"engine\": \"tensorrt\"");
        assertTrue(assertThrows(MontageException.class, () -> registry.register(unknown.toString())).getMessage()
                .contains("engine must be pytorch or onnxruntime"));
    }

    /** A copy of a committed ONNX bundle (deploy/models) under a name of this test's own. */
    private Path onnxBundle(String dir) throws IOException {
        Path source = Path.of("..", "deploy", "models", dir);
        Path copy = Files.createDirectories(temp.resolve(uniqueName()));
        try (Stream<Path> files = Files.list(source)) {
            for (Path file : files.toList()) {
                Files.copy(file, copy.resolve(file.getFileName()));
            }
        }
        String manifest = Files.readString(copy.resolve(ModelManifest.FILE_NAME));
        Files.writeString(copy.resolve(ModelManifest.FILE_NAME),
                manifest.replaceFirst("\"name\": \"[^\"]+\"", "\"name\": \"" + copy.getFileName() + "\""));
        return copy;
    }

    private static void rewrite(Path bundle, String from, String to) throws IOException {
        Path manifest = bundle.resolve(ModelManifest.FILE_NAME);
        String text = Files.readString(manifest);
        assertTrue(text.contains(from), "the committed manifest has " + from);
        Files.writeString(manifest, text.replace(from, to));
    }

    private Path fused(String name, String output) throws IOException {
        return FakeBundle.writeFused(temp.resolve(name), name, output);
    }

    @Test
    void aManifestThatIsNotJsonIsRefused() throws IOException {
        Path bundle = FakeBundle.write(temp.resolve("b"), uniqueName(), "1", "w");
        Files.writeString(bundle.resolve(ModelManifest.FILE_NAME), "{not json");
        assertEquals("invalid_model_manifest",
                assertThrows(MontageException.class, () -> registry.register(bundle.toString())).code());
    }

    @Test
    void zipAndTarGzArchivesWork() throws IOException {
        String zipName = uniqueName();
        Path zip = temp.resolve("bundle.zip");
        FakeBundle.zip(FakeBundle.write(temp.resolve("z"), zipName, "1", "w"), zip, "");
        assertEquals(zipName, registry.register(zip.toString()).name());

        String tarName = uniqueName();
        Path tar = temp.resolve("bundle.tar.gz");
        tarDirectory(FakeBundle.write(temp.resolve("t"), tarName, "1", "w"), tar);
        assertEquals(tarName, registry.register(tar.toString()).name());
    }

    @Test
    void aBundleCanBeRegisteredFromAnHttpUrl() throws IOException {
        String name = uniqueName();
        Path zip = temp.resolve("bundle.zip");
        FakeBundle.zip(FakeBundle.write(temp.resolve("h"), name, "1", "w"), zip, "");
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/bundles/", exchange -> {
            byte[] body = exchange.getRequestURI().getPath().endsWith("/ok.zip") ? Files.readAllBytes(zip) : new byte[0];
            exchange.sendResponseHeaders(body.length > 0 ? 200 : 404, body.length > 0 ? body.length : -1);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try {
            String base = "http://127.0.0.1:" + server.getAddress().getPort() + "/bundles/";
            Model model = registry.register(base + "ok.zip");
            assertEquals(name, model.name());
            assertEquals(base + "ok.zip", model.source());
            MontageException missing = assertThrows(MontageException.class, () -> registry.register(base + "gone.zip"));
            assertEquals("bundle_download_failed", missing.code());
        } finally {
            server.stop(0);
        }
    }

    @Test
    void anArchiveEntryThatEscapesTheBundleIsRefused() throws IOException {
        Path zip = temp.resolve("evil.zip");
        FakeBundle.zip(FakeBundle.write(temp.resolve("e"), uniqueName(), "1", "w"), zip, "../../escaped/");
        MontageException e = assertThrows(MontageException.class, () -> registry.register(zip.toString()));
        assertEquals("unsafe_bundle_archive", e.code());
    }

    @Test
    void onlyReadyModelsResolveAndTheNewestReadyVersionWins() throws IOException {
        String name = uniqueName();
        Model v1 = registry.register(FakeBundle.write(temp.resolve("1"), name, "1", "w1").toString());
        Model v2 = registry.register(FakeBundle.write(temp.resolve("2"), name, "2", "w2").toString());
        registry.markReady(v1.id());
        assertEquals(v1.id(), registry.resolve(name).id());
        registry.markReady(v2.id());
        assertEquals(v2.id(), registry.resolve(name).id());
        assertEquals(v1.id(), registry.resolve(name + "@1").id());
        registry.retire(v2.id());
        assertEquals(v1.id(), registry.resolve(name).id());
        registry.markFailed(v1.id(), "smoke test failed");
        assertEquals("smoke test failed", registry.find(v1.id()).orElseThrow().failureReason());
        assertEquals("model_not_found", assertThrows(MontageException.class, () -> registry.resolve(name)).code());
    }

    @Test
    void aModelRowReadsBackAsRegisteredAndItsStatusMovesAreStamped() throws IOException {
        String name = uniqueName();
        Path first = FakeBundle.write(temp.resolve("1"), name, "1", "w1");
        Model v1 = registry.register(first.toString());
        Model v2 = registry.register(FakeBundle.write(temp.resolve("2"), name, "2", "w2").toString());
        ModelManifest written = SharedContext.bean(BundleVerifier.class).verify(first);
        assertEquals(written, registry.find(v1.id()).orElseThrow().manifest(), "the jsonb manifest reads back whole");
        assertEquals(List.of(v2.id(), v1.id()), registry.list().stream().filter(m -> m.name().equals(name))
                .map(Model::id).toList(), "a name's newest version first");
        assertNull(v1.readyAt());

        registry.markReady(v1.id());
        Model ready = registry.find(name, "1").orElseThrow();
        assertEquals(ModelStatus.READY, ready.status());
        assertTrue(!ready.readyAt().isBefore(v1.createdAt()), "ready_at is stamped on the database's clock");
        registry.retire(v1.id());
        Model retired = registry.find(v1.id()).orElseThrow();
        assertEquals(ModelStatus.RETIRED, retired.status());
        assertEquals(ready.readyAt(), retired.readyAt(), "retiring keeps when it became ready");
        assertNull(retired.failureReason());
        MontageException unknown = assertThrows(MontageException.class, () -> registry.retire(UUID.randomUUID()));
        assertEquals("model_not_found", unknown.code());
        assertEquals(404, unknown.status());
    }

    @Test
    void anUploadIsRegisteredUnderItsNameAndLeavesNothingBehind() throws IOException {
        String name = uniqueName();
        Path zip = temp.resolve("bundle.zip");
        FakeBundle.zip(FakeBundle.write(temp.resolve("u"), name, "1", "w"), zip, "");
        try (InputStream upload = Files.newInputStream(zip)) {
            Model model = registry.registerUpload(upload, "../../my bundle.zip");
            assertEquals(name, model.name());
            assertEquals("upload .._.._my_bundle.zip", model.source(), "the name made safe, never a path");
            assertTrue(Files.isRegularFile(model.bundlePath().resolve("model.pt")));
        }
        assertEquals(List.of(), FakeBundle.leftInStaging(SharedContext.bean(ModelsConfig.class)));
    }

    @Test
    void anUploadThatIsNoArchiveIsRefusedByItsName() throws IOException {
        MontageException e = assertThrows(MontageException.class, () -> registry.registerUpload(
                new ByteArrayInputStream("not a bundle at all".getBytes(StandardCharsets.UTF_8)), "notes.zip"));
        assertEquals("unsupported_bundle_archive", e.code());
        assertTrue(e.getMessage().contains("notes.zip is none of them"), e.getMessage());
        assertEquals(List.of(), FakeBundle.leftInStaging(SharedContext.bean(ModelsConfig.class)));
    }

    @Test
    void anUploadOverTheBundleLimitIsCutOffThere() throws IOException {
        ModelsConfig small = new ModelsConfig(temp.resolve("store").toString(), 4096, Duration.ofSeconds(5));
        ModelRegistry limited = new ModelRegistry(SharedContext.bean(Database.class),
                SharedContext.bean(ModelRepository.class), new BundleFetcher(small),
                SharedContext.bean(BundleVerifier.class), SharedContext.bean(JobIntake.class), small,
                SharedContext.bean(JsonCodec.class), SharedContext.bean(JobCodec.class));
        long[] read = {0};
        InputStream upload = new InputStream() { // never ends; counts how far the registry reads
            @Override
            public int read() {
                read[0]++;
                return 0;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                read[0] += len;
                return len;
            }
        };
        MontageException e = assertThrows(MontageException.class, () -> limited.registerUpload(upload, "big.zip"));
        assertEquals("bundle_too_large", e.code());
        assertEquals(413, e.status());
        assertTrue(read[0] < 4096 + 128 * 1024, "it stops reading at the limit: " + read[0]);
        assertEquals(List.of(), FakeBundle.leftInStaging(small));
    }

    private static int validationTasksFor(UUID modelId) {
        return SharedContext.bean(Database.class).asSystem(c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT count(*) FROM items i JOIN jobs j ON j.id = i.job_id "
                            + "WHERE j.type = ? AND j.tenant_id IS NULL AND i.input->>'model_id' = ?")) {
                s.setString(1, ValidateModelJob.NAME);
                s.setString(2, modelId.toString());
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    return rs.getInt(1);
                }
            }
        });
    }

    private static void tarDirectory(Path dir, Path tar) throws IOException {
        try (OutputStream raw = Files.newOutputStream(tar);
             TarArchiveOutputStream out = new TarArchiveOutputStream(new GzipCompressorOutputStream(raw));
             Stream<Path> files = Files.list(dir)) {
            for (Path file : files.toList()) {
                // inside a top-level folder, as `tar czf bundle.tar.gz bundle/` makes it
                TarArchiveEntry entry = new TarArchiveEntry(file.toFile(), "bundle/" + file.getFileName());
                out.putArchiveEntry(entry);
                Files.copy(file, out);
                out.closeArchiveEntry();
            }
        }
    }
}
