package io.montage.api.admission;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

/**
 * The most work one request may ask for (montage.admission.caps.*), whatever its size on the wire: a 40 KB body
 * of 1,000 labels × 1,000 templates is a million text encodings. Checked by {@link RequestCosts} before anything
 * is decoded or queued. The defaults let real use through:
 *
 * @param syncImageEncodings images one synchronous request may embed: a few hundred (a page of a catalog, a
 *                           batch of uploads) answer well within the 30 s timeout on a GPU worker; on CPU-only
 *                           workers (6-23 ViT-B/32 images/s on 2 cores) lower it to a few dozen
 * @param syncTextEncodings  texts one synchronous request may embed, counting each label in each template: 4,096
 *                           (e.g. 1,000 labels × 4 templates) take the demo model ~0.6 s (the million took
 *                           154 s) and a CLIP-size text tower on a GPU seconds (an estimate: no GPU measured here);
 *                           on CPU-only workers (14-29 CLIP-size texts/s on 2 cores, ../shared/docs/djl.md) lower it
 *                           to a few hundred. The worker caches a label set's embeddings, so repeats cost nothing.
 * @param searchTopK         results one collection search may return
 * @param jobTextEncodings   label prompts one classify job may need (labels × templates): ImageNet's 1,000
 *                           classes in CLIP's 80 prompt templates are 80,000, embedded once per worker and reused
 *                           for every image
 * @param jobItems           items one bulk job may hold; uploads are counted as they stream (split larger loads
 *                           into several jobs, which also spreads them over the workers)
 */
@ConfigurationProperties("montage.admission.caps")
public record CostCaps(@Bindable(defaultValue = "256") int syncImageEncodings,
                       @Bindable(defaultValue = "4096") int syncTextEncodings,
                       @Bindable(defaultValue = "1000") int searchTopK,
                       @Bindable(defaultValue = "100000") int jobTextEncodings,
                       @Bindable(defaultValue = "5000000") int jobItems) {
}
