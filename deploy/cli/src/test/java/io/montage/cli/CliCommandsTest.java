package io.montage.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** embed, classify, collections and models against the packaged platform, and how failures are told. */
class CliCommandsTest extends AgainstPlatform {

    private static final Path REFERENCE = PackagedPlatform.DEMO_BUNDLE.resolve("reference/images");
    private static final Path BOOT = REFERENCE.resolve("fmnist_test00000_label9_ankle-boot.png");
    private static final Path TROUSER = REFERENCE.resolve("fmnist_test00002_label1_trouser.png");
    private static final Path BAG = REFERENCE.resolve("fmnist_test00018_label8_bag.png");
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void embedPrintsOneJsonLinePerTextAndImage() throws Exception {
        Cli.Result embedded = montage("embed", "--text", "ankle boot", BOOT.toString());

        assertEquals(0, embedded.exitCode(), embedded.toString());
        List<String> lines = embedded.out().lines().toList();
        assertEquals(2, lines.size(), embedded.out());
        JsonNode text = JSON.readTree(lines.get(0));
        JsonNode image = JSON.readTree(lines.get(1));
        assertEquals("ankle boot", text.get("input").asText());
        assertEquals(BOOT.toString(), image.get("input").asText());
        int dimension = text.get("embedding").size();
        assertTrue(dimension > 0, lines.get(0));
        assertEquals(dimension, image.get("embedding").size());
        double dot = 0;
        for (int i = 0; i < dimension; i++) {
            dot += text.get("embedding").get(i).asDouble() * image.get("embedding").get(i).asDouble();
        }
        assertTrue(dot > 0.1, "the boot's photo and its name are near in the one space: " + dot);
        assertTrue(embedded.err().contains("embedded by " + platform.model()), embedded.err());
    }

    @Test
    void classifyShowsEachImagesBestLabels() {
        Cli.Result classified = montage("classify", "--labels",
                "t-shirt/top,trouser,pullover,dress,coat,sandal,shirt,sneaker,bag,ankle boot", "--top", "2",
                BOOT.toString(), TROUSER.toString(), BAG.toString());

        assertEquals(0, classified.exitCode(), classified.toString());
        List<String> rows = classified.out().lines().toList();
        assertEquals(1 + 3 * 2, rows.size(), classified.out());
        assertTrue(rows.get(0).matches("IMAGE\\s+LABEL\\s+SCORE\\s*"), rows.get(0));
        assertTrue(row(rows, BOOT).contains("ankle boot"), classified.out());
        assertTrue(row(rows, TROUSER).contains("trouser"), classified.out());
        assertTrue(row(rows, BAG).contains("bag"), classified.out());
    }

    @Test
    void collectionsAreCreatedFilledAndSearchedAsATable() {
        assertEquals(0, montage("collections", "create", "catalog").exitCode());
        Cli.Result added = montage("collections", "add", "catalog", BOOT.toString(),
                TROUSER.toString(), BAG.toString(), "--text", "note=a red handbag", "--metadata", "{\"shop\": \"a\"}");
        assertEquals(0, added.exitCode(), added.toString());
        assertTrue(added.out().contains("4 items written to catalog"), added.out());

        Cli.Result found = montage("collections", "search", "catalog", "--image", BOOT.toString(),
                "-k", "3");

        assertEquals(0, found.exitCode(), found.toString());
        List<String> rows = found.out().lines().toList();
        assertTrue(rows.get(0).matches("#\\s+ID\\s+SCORE\\s+METADATA\\s*"), found.out());
        assertTrue(rows.get(1).matches("1\\s+" + BOOT.getFileName() + "\\s+(1\\.0000|0\\.99\\d\\d)\\s+\\{\"shop\":\"a\"}\\s*"),
                "the boot finds itself first: " + found.out());
        assertEquals(3, rows.stream().filter(row -> row.matches("\\d+\\s{2,}\\S+\\s+[01]\\.\\d{4}.*")).count(), found.out());
        assertTrue(found.out().contains("3 hits from catalog (" + platform.model()), found.out());

        Cli.Result missing = montage("collections", "search", "nowhere", "--text", "boot");
        assertEquals(ExitCodes.REFUSED, missing.exitCode(), missing.toString());
        assertTrue(missing.err().contains("collection_not_found (HTTP 404)"), missing.err());
    }

    @Test
    void modelsListShowsTheDemoModel() {
        Cli.Result listed = montage("models", "list");

        assertEquals(0, listed.exitCode(), listed.toString());
        assertTrue(listed.out().lines().anyMatch(row -> row.startsWith(platform.model() + " ")
                && row.contains("clip")), listed.out());
    }

    @Test
    void theConfigFileIsReadWhenTheEnvironmentSaysNothing() throws IOException {
        Path config = home.resolve(".config/montage/config.properties");
        Files.createDirectories(config.getParent());
        Files.writeString(config, "url=" + platform.url() + "\nkey=" + platform.key() + "\n");

        Cli.Result listed = Cli.run(Map.of("HOME", home.toString()), "models", "list");

        assertEquals(0, listed.exitCode(), listed.toString());
        assertTrue(listed.out().contains(platform.model()), listed.out());
    }

    @Test
    void failuresSayWhatToDoAndExitWithTheirCode() throws Exception {
        Cli.Result noKey = Cli.run(Map.of("HOME", home.toString()), "models", "list");
        assertEquals(ExitCodes.NOT_CONFIGURED, noKey.exitCode(), noKey.toString());
        assertTrue(noKey.err().contains("no API key: set MONTAGE_API_KEY"), noKey.err());

        Cli.Result typo = Cli.run(Map.of("HOME", home.toString(), "MONTAGE_API_URL", platform.url(),
                "MONTAGE_API_KEY", platform.key() + "x"), "models", "list");
        assertEquals(ExitCodes.REFUSED, typo.exitCode(), typo.toString());
        assertTrue(typo.err().matches("(?s)error: \\w+_api_key\\w* \\(HTTP 401\\): .+\\[request [0-9a-f-]+]\\s*"),
                typo.err());

        String jobsOnly = platform.newKey("cli-jobs-only", "jobs:read,jobs:write");
        Cli.Result scope = Cli.run(Map.of("HOME", home.toString(), "MONTAGE_API_URL", platform.url(),
                "MONTAGE_API_KEY", jobsOnly), "embed", "--text", "boot");
        assertEquals(ExitCodes.REFUSED, scope.exitCode(), scope.toString());
        assertTrue(scope.err().contains("insufficient_scope (HTTP 403)") && scope.err().contains("inference"),
                scope.err());

        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        Cli.Result down = montage("--help"); // the top command needs no api
        assertEquals(0, down.exitCode(), down.toString());
        Cli.Result unreachable = Cli.run(Map.of("HOME", home.toString(), "MONTAGE_API_KEY", platform.key()),
                "models", "list", "--url", "http://127.0.0.1:" + closed);
        assertEquals(ExitCodes.UNAVAILABLE, unreachable.exitCode(), unreachable.toString());
        assertTrue(unreachable.err().contains("cannot reach the api at http://127.0.0.1:" + closed),
                unreachable.err());

        Cli.Result usage = montage("classify", BOOT.toString());
        assertEquals(2, usage.exitCode(), usage.toString());
        assertTrue(usage.err().contains("Missing required option: '--labels=LABEL'"), usage.err());
    }

    private static String row(List<String> rows, Path image) {
        return rows.stream().filter(row -> row.startsWith(image.toString())).findFirst().orElse("");
    }
}
