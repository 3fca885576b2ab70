package io.montage.attack.hostile;

import io.montage.attack.Fixtures;
import io.montage.attack.Keys;
import io.montage.attack.inputs.Images;
import io.montage.attack.inputs.Repeated;
import io.montage.attack.inputs.ZipWriter;
import io.montage.attack.probe.JobOutcome;

import static io.montage.attack.probe.Expect.any;

/**
 * Zip entries that expand enormously, among them the zip that took the api's heap from 336 MB to 916 MB of 1 GB:
 * two metadata.jsonl entries of 63 MB of blanks, 127 KB compressed. Four of those are uploaded at once (in the heavy
 * phase): an api that reads such entries whole runs out of memory; one that streams or caps them answers every
 * upload and stays ready.
 */
final class MemoryProbes extends Catalogue {

    MemoryProbes(Keys keys, Fixtures fixtures) {
        super("memory", keys, fixtures);
    }

    @Override
    void build() {
        byte[] png = Images.png();
        zip("metadata.jsonl expanding to 256 MB", "type=ingest&collection=target", new ZipWriter().add("m3.png", png)
                .add("metadata.jsonl", Repeated.of("", " ", 256L * 1024 * 1024, "\n")).toBytes(), any().job(JobOutcome.FINISHES));
        zip("metadata.jsonl of one 70 MB line", "type=ingest&collection=target", new ZipWriter().add("m4.png", png)
                .add("metadata.jsonl", Repeated.of("{\"custom_id\":\"m4.png\",\"metadata\":{\"k\":\"", "v", 70L * 1024 * 1024, "\"}}\n"))
                .toBytes(), any().job(JobOutcome.FINISHES));
        zip("image entry expanding to 300 MB", "type=embed", new ZipWriter().add("good.png", png)
                .add("huge.png", Repeated.of("", "\0", 300L * 1024 * 1024, "")).toBytes(), any().job(JobOutcome.items(1, 1)));
        Repeated blanks = Repeated.of("", " ".repeat(1023) + "\n", 63L * 1024, "");
        byte[] archive = new ZipWriter().add("mem.png", png).add("metadata.jsonl", blanks)
                .add("again/metadata.jsonl", blanks).toBytes();
        for (int i = 1; i <= 4; i++) {
            zip("two 63 MB metadata.jsonl entries in 127 KB, upload " + i + " of 4 at once",
                    "type=ingest&collection=target", archive, any().job(JobOutcome.FINISHES));
        }
    }
}
