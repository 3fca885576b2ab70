package io.montage.models;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

import java.time.Duration;

/**
 * The model store (montage.models.*).
 *
 * @param store           where registered bundles are unpacked and verified; every worker must see this path
 *                        (a local disk on one machine, a shared volume across machines)
 * @param maxBundleBytes  a bundle (archive or unpacked) larger than this is refused
 * @param downloadTimeout for bundles registered from an http(s) URL
 */
@ConfigurationProperties("montage.models")
public record ModelsConfig(@Bindable(defaultValue = "run/models") String store,
                           @Bindable(defaultValue = "4294967296") long maxBundleBytes,
                           @Bindable(defaultValue = "10m") Duration downloadTimeout) {
}
