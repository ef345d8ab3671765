package dev.switchboard.authorizer;

/** Why a token was refused. Logged and counted; never the token itself. */
public enum Reason {
    /** No token in the request. */
    MISSING,
    /** Longer than the limit (8 KB): refused without parsing. */
    OVERSIZE,
    /** Not a JWS compact serialization, bad base64, or claims that are not JSON. */
    MALFORMED,
    /** An algorithm outside the allow-list: {@code none}, or HMAC where a JWKS is used (key confusion). */
    ALGORITHM,
    /** No key of the JWKS matches the token's {@code kid} and algorithm. */
    UNKNOWN_KEY,
    /** The JWKS could not be fetched and no cached keys are at hand. */
    KEYS_UNAVAILABLE,
    /** No key verifies the signature. */
    SIGNATURE,
    /** {@code exp} has passed (beyond the clock skew), or is missing while expiry is checked. */
    EXPIRED,
    /** {@code nbf} is in the future (beyond the clock skew). */
    NOT_YET_VALID,
    /** None of the configured audiences is in {@code aud}. */
    AUDIENCE,
    /** {@code iss} is not the configured issuer. */
    ISSUER,
    /** The claim that names the user is missing or not a non-empty string. */
    MISSING_USER_CLAIM;

    /** As a client is told it: {@code expired}, {@code unknown_key}, … */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
