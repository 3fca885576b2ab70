package io.montage.api.admission;

import io.montage.errors.MontageException;
import jakarta.inject.Singleton;

import java.util.Locale;

/**
 * The cost model: what each kind of request asks of the workers, counted from its shape (how many images, texts,
 * labels × templates, results, items) before anything is decoded or queued, and checked against {@link CostCaps}.
 * Over a cap is 422 {@code request_too_costly}, naming what the request needs and the limit. Every endpoint's
 * cost is here, so the arithmetic that hides in a small body (labels × templates) is done in one place.
 */
@Singleton
public class RequestCosts {

    private static final String SYNC = " per synchronous request; send fewer, or submit a bulk job (POST /v1/jobs)";
    private static final String JOB = " per job";

    private final CostCaps caps;

    public RequestCosts(CostCaps caps) {
        this.caps = caps;
    }

    /** {@code POST /v1/embeddings}: every input is one encoding. */
    public void embeddings(int images, int texts) {
        images(images);
        require(texts, "text encodings", "", caps.syncTextEncodings(), SYNC);
    }

    /**
     * {@code POST /v1/classify}: each image is encoded, and each label in each template (the prompt ensemble).
     * The answer's size, images × labels, is bounded by the input limits (montage.inference-api.*).
     */
    public void classify(int images, int labels, int templates) {
        images(images);
        require((long) labels * templates, "text encodings", labelsTimesTemplates(labels, templates),
                caps.syncTextEncodings(), SYNC);
    }

    /** {@code POST /v1/similarity}: each image and text is encoded. */
    public void similarity(int images, int texts) {
        embeddings(images, texts);
    }

    /** {@code POST /v1/predict}: every input is an image and a text, both encoded by the fused model. */
    public void predict(int inputs) {
        embeddings(inputs, inputs);
    }

    /** {@code POST /v1/collections/{name}/items}: texts and images are encoded; raw vectors cost no encoding. */
    public void collectionUpsert(int images, int texts) {
        embeddings(images, texts);
    }

    /** {@code POST /v1/collections/{name}/search}: the results ranked and returned. */
    public void search(int topK) {
        require(topK, "results (top_k)", "", caps.searchTopK(), " per search");
    }

    /** A classify job: its label prompts, embedded once per worker and reused for every image. */
    public void classifyJob(int labels, int templates) {
        require((long) labels * templates, "text encodings", labelsTimesTemplates(labels, templates),
                caps.jobTextEncodings(), JOB + "; send fewer labels or templates");
    }

    /** The most items a bulk job may hold. */
    public int jobItemCap() {
        return caps.jobItems();
    }

    /** A job found, while its upload streamed, to hold more items than {@link #jobItemCap}. */
    public MontageException tooManyJobItems() {
        return tooCostly("this job has more than " + number(caps.jobItems()) + " items; the limit is "
                + number(caps.jobItems()) + JOB + ": split it into several jobs");
    }

    private void images(int images) {
        require(images, "image encodings", "", caps.syncImageEncodings(), SYNC);
    }

    private static String labelsTimesTemplates(int labels, int templates) {
        return " (" + number(labels) + " labels × " + number(templates) + " templates)";
    }

    private static void require(long needs, String what, String breakdown, long cap, String remedy) {
        if (needs > cap) {
            throw tooCostly("this request needs " + number(needs) + " " + what + breakdown + "; the limit is "
                    + number(cap) + remedy);
        }
    }

    private static MontageException tooCostly(String detail) {
        return MontageException.invalid("request_too_costly", detail);
    }

    private static String number(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }
}
