package io.montage.worker.inference;

import io.montage.jobs.ItemOutcome;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

/** What may be written to a collection: an embedding with a direction at half precision, the precision stored. */
class EmbeddedTest {

    @Test
    void anEmbeddingThatIsZeroAtHalfPrecisionFailsItsItem() {
        float[] underflow = new float[128];
        Arrays.fill(underflow, 1e-8f);
        ItemOutcome failure = new Embedder.Embedded(3, underflow, 0, false, null, null).failureToStore();
        assertEquals("zero_embedding", failure.errorCode());
        assertEquals(3, failure.seq());
    }

    @Test
    void aUsableEmbeddingIsStoredAndAnEarlierFailureStands() {
        float[] unit = new float[64];
        unit[0] = 1;
        assertNull(new Embedder.Embedded(0, unit, 0, false, null, null).failureToStore());
        ItemOutcome decodeFailure = ItemOutcome.failed(1, "corrupt_image", "not an image");
        assertSame(decodeFailure, new Embedder.Embedded(1, null, 0, false, null, decodeFailure).failureToStore());
    }
}
