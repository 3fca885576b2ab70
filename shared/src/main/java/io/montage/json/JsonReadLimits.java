package io.montage.json;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

/**
 * How long one JSON string may be (montage.json.*). The parser's own default (20,000,000 characters) is shorter
 * than an image at the 20 MiB image limit sent as base64 (27,962,028 characters), so such an image failed to
 * parse in the api (request bodies, JSONL lines) and in the worker (item inputs).
 *
 * @param maxStringLength characters in one JSON string; keep it at least the largest body or line accepted
 *                        (montage.api.max-json-bytes, montage.jobs.max-line-bytes)
 */
@ConfigurationProperties("montage.json")
public record JsonReadLimits(@Bindable(defaultValue = "33554432") int maxStringLength) {
}
