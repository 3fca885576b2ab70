package io.montage.apikeys;

/** The outcome of checking a presented key: the key it is, or why it is refused. */
public sealed interface KeyCheck {

    record Accepted(ApiKey apiKey, String tenantSlug) implements KeyCheck {
    }

    record Rejected(KeyRejection reason) implements KeyCheck {
    }
}
