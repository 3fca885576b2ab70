package io.montage.attack.hostile;

import io.montage.attack.Fixtures;
import io.montage.attack.Keys;
import io.montage.attack.inputs.Images;
import io.montage.attack.inputs.Repeated;
import io.montage.attack.inputs.ZipWriter;
import io.montage.attack.probe.JobOutcome;

import static io.montage.attack.probe.Expect.any;

/**
 * The zip that took the api's heap from 336 MB to 916 MB of 1 GB: two metadata.jsonl entries of 63 MB of blanks,
 * 127 KB compressed. Four are uploaded at once (these run last, in parallel): an api that reads such entries whole
 * runs out of memory; one that streams or caps them answers every upload and stays ready.
 */
final class MemoryProbes extends Catalogue {

    MemoryProbes(Keys keys, Fixtures fixtures) {
        super("memory", keys, fixtures);
    }

    @Override
    void build() {
        Repeated blanks = Repeated.of("", " ".repeat(1023) + "\n", 63L * 1024, "");
        byte[] archive = new ZipWriter().add("mem.png", Images.png()).add("metadata.jsonl", blanks)
                .add("again/metadata.jsonl", blanks).toBytes();
        for (int i = 1; i <= 4; i++) {
            zip("two 63 MB metadata.jsonl entries in 127 KB, upload " + i + " of 4 at once",
                    "type=ingest&collection=target", archive, any().job(JobOutcome.FINISHES));
        }
    }
}
