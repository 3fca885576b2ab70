package io.montage.apikeys;

/** A new key and the one and only time its secret is available. */
public record CreatedApiKey(ApiKey apiKey, String secret) {
}
