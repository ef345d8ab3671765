package dev.switchboard.authorizer;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Who a verified token speaks for.
 *
 * @param userId the value of the user claim ({@code sub} unless configured otherwise)
 * @param expiresAt the token's {@code exp}, when it has one
 * @param claims every claim of the token, as nimbus parsed them
 */
public record Principal(String userId, Optional<Instant> expiresAt, Map<String, Object> claims) {
    public Principal {
        claims = Collections.unmodifiableMap(new LinkedHashMap<>(claims)); // claims may hold JSON nulls
    }
}
