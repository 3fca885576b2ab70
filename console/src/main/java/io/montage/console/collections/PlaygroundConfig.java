package io.montage.console.collections;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

import java.time.Duration;

/**
 * Limits of the search playground's text and image queries, which the console embeds through the queue like any
 * tenant request. Env overrides: {@code MONTAGE_CONSOLE_PLAYGROUND_TIMEOUT}, ….
 *
 * @param timeout       how long a query waits for a worker's embedding; the page shows a busy indicator meanwhile
 * @param maxImageBytes an uploaded query image bigger than this is refused before it is read whole
 * @param maxTextChars  a longer query text is refused (the model truncates to its context anyway)
 */
@ConfigurationProperties("montage.console.playground")
public record PlaygroundConfig(
        @Bindable(defaultValue = "15s") Duration timeout,
        @Bindable(defaultValue = "20971520") int maxImageBytes,
        @Bindable(defaultValue = "1000") int maxTextChars) {
}
