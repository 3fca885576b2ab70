package io.montage.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code montage jobs …} against the packaged platform: a folder of 1,000 images with its live progress bar. */
class CliJobsTest extends AgainstPlatform {

    private static final Pattern JOB_ID = Pattern.compile("^job ([0-9a-f-]{36}) ", Pattern.MULTILINE);
    /** A redraw of the bar: "job 1a2b3c4d  42% [=====>    ] 420/1000 items (0:00:05 / 0:00:07) 84.0 items/s 1 failure · running" */
    private static final Pattern BAR = Pattern.compile("(\\d+)/(\\d+) items.* ([0-9.]+|\\?) items/s (\\d+) failures? · (\\w+)");
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aFolderOf1000ImagesRunsWithALiveProgressBarAndItsResultsAndErrorsDownload(@TempDir Path folder)
            throws Exception {
        FashionMnist.writePngs(folder.resolve("photos"), 999);
        Files.write(folder.resolve("photos/broken.png"), "not a png".getBytes()); // one item fails

        Cli.Result submitted = montage("jobs", "submit", "--type", "embed", folder.resolve("photos")
                .toString());

        assertEquals(ExitCodes.ITEMS_FAILED, submitted.exitCode(), submitted.toString());
        Matcher id = JOB_ID.matcher(submitted.out());
        assertTrue(id.find(), submitted.toString());
        String job = id.group(1);
        assertTrue(submitted.out().contains("succeeded: 999 succeeded, 1 failed of 1000"), submitted.toString());
        List<long[]> redraws = submitted.err().lines().map(BAR::matcher).filter(Matcher::find)
                .map(m -> new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2)),
                        Long.parseLong(m.group(4))}).toList();
        assertTrue(redraws.size() >= 2, "the bar was drawn at least twice: " + submitted.err());
        assertTrue(redraws.stream().map(r -> r[0]).distinct().count() >= 2,
                "the bar moved: " + submitted.err());
        long[] last = redraws.getLast();
        assertEquals(1000, last[0], submitted.err());
        assertEquals(1000, last[1], submitted.err());
        assertEquals(1, last[2], "the failure shows on the bar: " + submitted.err());
        for (int i = 1; i < redraws.size(); i++) {
            assertTrue(redraws.get(i)[0] >= redraws.get(i - 1)[0], "never backwards: " + submitted.err());
        }

        JsonNode counts = job(job).get("counts"); // what the api says, not what the CLI printed
        assertEquals(1000, counts.get("total").asInt());
        assertEquals(999, counts.get("succeeded").asInt());
        assertEquals(1, counts.get("failed").asInt());

        Path results = folder.resolve("results.jsonl");
        Cli.Result downloaded = montage("jobs", "results", job, "-o", results.toString());
        assertEquals(0, downloaded.exitCode(), downloaded.toString());
        List<String> lines = Files.readAllLines(results);
        assertEquals(999, lines.size());
        JsonNode first = JSON.readTree(lines.getFirst());
        assertTrue(first.get("custom_id").asText().startsWith("fmnist-"), lines.getFirst());
        assertTrue(first.at("/result/embedding").size() > 0, lines.getFirst());

        Cli.Result errors = montage("jobs", "errors", job);
        assertEquals(0, errors.exitCode(), errors.toString());
        JsonNode error = JSON.readTree(errors.out().strip());
        assertEquals("broken.png", error.get("custom_id").asText(), errors.out());
        assertTrue(error.at("/error/code").asText().contains("image"), errors.out());

        Cli.Result watched = montage("jobs", "watch", job);
        assertEquals(ExitCodes.ITEMS_FAILED, watched.exitCode(), watched.toString());
        assertTrue(watched.out().contains("999 succeeded, 1 failed of 1000"), watched.toString());
    }

    @Test
    void aJsonlFileIsOneJobAndDetachPrintsItsId(@TempDir Path folder) throws Exception {
        Path items = folder.resolve("items.jsonl");
        Files.writeString(items, """
                {"custom_id": "boot", "text": "ankle boot"}
                {"custom_id": "bag", "text": "a red bag"}
                """);

        Cli.Result detached = montage("jobs", "submit", "--type", "embed", "--detach",
                items.toString());
        assertEquals(0, detached.exitCode(), detached.toString());
        Matcher id = JOB_ID.matcher(detached.out());
        assertTrue(id.find(), detached.toString());
        assertTrue(detached.out().contains("montage jobs watch " + id.group(1)), detached.out());

        Cli.Result watched = montage("jobs", "watch", id.group(1));
        assertEquals(0, watched.exitCode(), watched.toString());
        assertTrue(watched.out().contains("succeeded: 2 succeeded, 0 failed of 2"), watched.toString());
    }

    @Test
    void aRefusedUploadPrintsTheProblemCodeAndDetail(@TempDir Path folder) throws Exception {
        Files.writeString(folder.resolve("items.jsonl"), "{\"input\": 1}\n");

        Cli.Result refused = montage("jobs", "submit", "--type", "resize",
                folder.resolve("items.jsonl").toString());

        assertEquals(ExitCodes.REFUSED, refused.exitCode(), refused.toString());
        assertTrue(refused.err().contains("unknown_job_type (HTTP 422): "), refused.err());
        assertTrue(refused.err().contains("resize"), "the detail names it: " + refused.err());
    }

    private static JsonNode job(String id) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(platform.url() + "/v1/jobs/" + id)).header("Authorization", "Bearer " + platform.key())
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        return JSON.readTree(response.body());
    }
}
