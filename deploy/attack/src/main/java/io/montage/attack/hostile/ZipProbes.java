package io.montage.attack.hostile;

import io.montage.attack.Fixtures;
import io.montage.attack.Keys;
import io.montage.attack.inputs.Images;
import io.montage.attack.inputs.Repeated;
import io.montage.attack.inputs.ZipWriter;
import io.montage.attack.probe.JobOutcome;

import java.nio.charset.StandardCharsets;
import java.util.Random;

import static io.montage.attack.probe.Expect.any;
import static io.montage.attack.probe.Expect.problem;
import static io.montage.attack.probe.Expect.refused;
import static io.montage.attack.probe.Expect.success;

/**
 * Zip uploads with hostile entries: names over the custom_id limit (an item error), path traversal and odd names,
 * truncated archives (400 corrupt_zip, never a silent partial job), entries that expand enormously, unknown
 * compression methods, several metadata.jsonl entries, and metadata.jsonl lines that are not what they should be.
 */
final class ZipProbes extends Catalogue {

    ZipProbes(Keys keys, Fixtures fixtures) {
        super("zip", keys, fixtures);
    }

    @Override
    void build() {
        byte[] png = Images.png();
        zip("entry name of 300 characters", "type=embed", new ZipWriter().add("good.png", png)
                .add("d/" + "n".repeat(294) + ".png", png).toBytes(), success().job(JobOutcome.items(1, 1)));
        zip("entry name of 65,000 bytes", "type=embed", new ZipWriter().add("good.png", png)
                .add("x".repeat(65_000) + ".png", png).toBytes(), any().job(JobOutcome.items(1, 1)));
        zip("path traversal entry names", "type=ingest&collection=target", new ZipWriter()
                .add("../../../../etc/passwd.png", png).add("/absolute/path.png", png).add("C:\\windows\\win.png", png)
                .add("a/./b/../c.png", png).add("..\\..\\back.png", png).toBytes(), any().job(JobOutcome.FINISHES));
        zip("entry names that differ only in Unicode normalisation", "type=embed", new ZipWriter()
                .add("caf\u00e9.png", png).add("cafe\u0301.png", png).toBytes(), any().job(JobOutcome.FINISHES));
        zip("entry name of invalid UTF-8", "type=embed", new ZipWriter().add("good.png", png)
                .addRawName(new byte[]{'a', (byte) 0xFF, (byte) 0xFE, '.', 'p', 'n', 'g'}, png).toBytes(), any().job(JobOutcome.FINISHES));
        zip("empty and dot entry names", "type=embed", new ZipWriter().add("", png).add(".png", png).add("good.png", png).toBytes(),
                any().job(JobOutcome.FINISHES));
        zip("two entries with one name", "type=ingest&collection=target", new ZipWriter().add("twice.png", png).add("twice.png", png).toBytes(),
                any().job(JobOutcome.FINISHES));
        ZipWriter two = new ZipWriter().add("one.png", png).add("two.png", Images.jpeg()).add("three.png", png);
        zip("truncated zip (half)", "type=embed", two.truncated(0.5), problem(400, "corrupt_zip"));
        zip("truncated zip (first 20 bytes)", "type=embed", two.truncated(20.0 / two.toBytes().length), problem(400, "corrupt_zip"));
        zip("truncated zip (90 %, inside the last entry)", "type=embed", cutInsideLastEntry(png), problem(400, "corrupt_zip"));
        byte[] noise = new byte[2048];
        new Random(11).nextBytes(noise);
        zip("random bytes as a zip", "type=embed", noise, refused());
        zip("gzip as a zip", "type=embed", Repeated.of("", "x", 1000, "").gzip(), refused());
        zip("two metadata.jsonl entries", "type=ingest&collection=target", new ZipWriter().add("m1.png", png).add("m2.png", png)
                .add("metadata.jsonl", "{\"custom_id\":\"m1.png\",\"metadata\":{\"a\":1}}\n")
                .add("sub/metadata.jsonl", "{\"custom_id\":\"m2.png\",\"metadata\":{\"b\":2}}\n").toBytes(), any().job(JobOutcome.FINISHES));
        zip("metadata.jsonl with a line that is not JSON", "type=ingest&collection=target", new ZipWriter().add("m5.png", png)
                .add("metadata.jsonl", "{\"custom_id\":\"m5.png\",\"metadata\":{\"a\":1}}\nnot json\n").toBytes(), any().job(JobOutcome.FINISHES));
        zip("metadata.jsonl with duplicate keys", "type=ingest&collection=target", new ZipWriter().add("m6.png", png)
                .add("metadata.jsonl", "{\"custom_id\":\"m6.png\",\"metadata\":{\"a\":1,\"a\":2}}\n").toBytes(), any().job(JobOutcome.FINISHES));
        zip("metadata.jsonl nested 10,000 deep", "type=ingest&collection=target", new ZipWriter().add("m7.png", png)
                .add("metadata.jsonl", "{\"custom_id\":\"m7.png\",\"metadata\":" + io.montage.attack.inputs.Bodies.nestedObjects(10_000, "1") + "}\n")
                .toBytes(), any().job(JobOutcome.FINISHES));
        zip("metadata.jsonl with a null line and an array", "type=ingest&collection=target", new ZipWriter().add("m8.png", png)
                .add("metadata.jsonl", "null\n[]\n{\"custom_id\":\"m8.png\",\"metadata\":null}\n").toBytes(), any().job(JobOutcome.FINISHES));
        zip("metadata.jsonl as a directory", "type=ingest&collection=target", new ZipWriter().add("m9.png", png)
                .add("metadata.jsonl/", new byte[0]).toBytes(), any().job(JobOutcome.FINISHES));
        ZipWriter many = new ZipWriter();
        for (int i = 0; i < 5000; i++) {
            many.add("notes/" + i + ".txt", "");
        }
        zip("5,000 entries that are not images", "type=embed", many.add("good.png", png).toBytes(), any().job(JobOutcome.items(1, 5000)));
        zip("entry with an unknown compression method", "type=embed", new ZipWriter().add("good.png", png)
                .addWithMethod("aes.png", 99, png).toBytes(), any().job(JobOutcome.FINISHES));
        zip("entry with the bzip2 method", "type=embed", new ZipWriter().add("good.png", png)
                .addWithMethod("bz.png", 12, "BZh91AY&SY".getBytes(StandardCharsets.US_ASCII)).toBytes(), any().job(JobOutcome.FINISHES));
        zip("classify zip without labels", "type=classify", new ZipWriter().add("a.png", png).toBytes(), refused());
        zip("ingest zip into an unknown collection", "type=ingest&collection=no-such-collection", new ZipWriter().add("a.png", png).toBytes(),
                problem(404, "collection_not_found"));
        zip("zip of one real image (control)", "type=embed", new ZipWriter().add("ok.png", png).toBytes(), success().job(JobOutcome.items(1, 0)));
    }

    /** A valid archive cut inside its last entry's data (its tail and the central directory are gone). */
    private static byte[] cutInsideLastEntry(byte[] png) {
        byte[] big = new byte[200_000];
        new Random(5).nextBytes(big);
        byte[] whole = new ZipWriter().add("a.png", png).add("b.png", big).toBytes();
        return java.util.Arrays.copyOf(whole, whole.length - 100_000);
    }
}
