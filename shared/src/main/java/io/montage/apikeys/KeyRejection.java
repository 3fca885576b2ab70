package io.montage.apikeys;

/** Why a presented key does not authenticate; each has its own error code on the wire. */
public enum KeyRejection {
    MISSING("missing_api_key", "send the key as 'Authorization: Bearer mtg_live_…'"),
    MULTIPLE("multiple_authorization_headers", "send exactly one Authorization header"),
    MALFORMED("malformed_api_key", "the Authorization header does not hold a Montage key (mtg_live_ followed by 49 characters)"),
    BAD_CHECKSUM("invalid_api_key_checksum", "the key's checksum does not match: it was mistyped or truncated"),
    UNKNOWN("unknown_api_key", "no such key"),
    REVOKED("revoked_api_key", "this key was revoked; create a new one"),
    EXPIRED("expired_api_key", "this key has expired; create a new one"),
    TENANT_SUSPENDED("tenant_suspended", "the tenant that owns this key is suspended");

    private final String code;
    private final String detail;

    KeyRejection(String code, String detail) {
        this.code = code;
        this.detail = detail;
    }

    public String code() {
        return code;
    }

    public String detail() {
        return detail;
    }
}
