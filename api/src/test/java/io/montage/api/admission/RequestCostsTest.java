package io.montage.api.admission;

import io.montage.errors.MontageException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The cost model's arithmetic per endpoint, at and over each cap (the HTTP tests show it wired in). */
class RequestCostsTest {

    private static final RequestCosts DEFAULTS = new RequestCosts(new CostCaps(256, 4096, 1000, 100_000, 5_000_000));
    /** 2 images, 6 texts, top_k 10, 30 label prompts and 3 items per job. */
    private static final RequestCosts SMALL = new RequestCosts(new CostCaps(2, 6, 10, 30, 3));

    private static MontageException tooCostly(Runnable request) {
        MontageException e = assertThrows(MontageException.class, request::run);
        assertEquals(422, e.status());
        assertEquals("request_too_costly", e.code());
        return e;
    }

    @Test
    void theIssuesRequestIsRefusedSayingWhatItNeedsAndTheLimit() {
        MontageException e = tooCostly(() -> DEFAULTS.classify(1, 1000, 1000));
        assertEquals("this request needs 1,000,000 text encodings (1,000 labels × 1,000 templates); the limit is "
                + "4,096 per synchronous request; send fewer, or submit a bulk job (POST /v1/jobs)", e.getMessage());
    }

    @Test
    void classifyCountsEveryLabelInEveryTemplate() {
        assertDoesNotThrow(() -> SMALL.classify(2, 3, 2));
        tooCostly(() -> SMALL.classify(2, 7, 1));
        tooCostly(() -> SMALL.classify(2, 4, 2));
        assertTrue(tooCostly(() -> SMALL.classify(3, 1, 1)).getMessage().contains("3 image encodings"));
    }

    @Test
    void embeddingsSimilarityAndUpsertsCountImagesAndTexts() {
        assertDoesNotThrow(() -> SMALL.embeddings(2, 6));
        tooCostly(() -> SMALL.embeddings(3, 0));
        tooCostly(() -> SMALL.embeddings(0, 7));
        assertDoesNotThrow(() -> SMALL.similarity(2, 6));
        tooCostly(() -> SMALL.similarity(2, 7));
        assertDoesNotThrow(() -> SMALL.collectionUpsert(2, 6));
        assertTrue(tooCostly(() -> SMALL.collectionUpsert(3, 0)).getMessage().contains("the limit is 2"));
    }

    @Test
    void searchesAreCappedByTheirResults() {
        assertDoesNotThrow(() -> SMALL.search(10));
        assertTrue(tooCostly(() -> SMALL.search(11)).getMessage().contains("11 results (top_k); the limit is 10"));
    }

    @Test
    void aClassifyJobIsCappedByItsLabelPromptsAndAJobByItsItems() {
        assertDoesNotThrow(() -> SMALL.classifyJob(10, 3));
        assertTrue(tooCostly(() -> SMALL.classifyJob(10, 4)).getMessage()
                .contains("40 text encodings (10 labels × 4 templates); the limit is 30 per job"));
        assertDoesNotThrow(() -> DEFAULTS.classifyJob(1000, 80)); // ImageNet's classes in CLIP's 80 templates
        assertEquals(3, SMALL.jobItemCap());
        assertTrue(SMALL.tooManyJobItems().getMessage().contains("more than 3 items"));
    }
}
