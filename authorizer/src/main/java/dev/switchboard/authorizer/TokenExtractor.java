package dev.switchboard.authorizer;

import java.util.Locale;
import java.util.Optional;

/**
 * Finds the token of a connection request: the {@code authorization} query parameter (SUMU, browsers, which
 * cannot set headers on a WebSocket) first, then an {@code Authorization: Bearer …} header.
 */
public final class TokenExtractor {
    /** The query parameter that carries the token. */
    public static final String QUERY_PARAMETER = "authorization";

    private static final String BEARER = "bearer ";

    private TokenExtractor() {}

    /** The token, or empty when the request carries none. */
    public static Optional<String> extract(Optional<String> queryParameter, Optional<String> authorizationHeader) {
        var fromQuery = queryParameter.map(String::trim).filter(t -> !t.isEmpty());
        if (fromQuery.isPresent()) {
            return fromQuery;
        }
        return authorizationHeader
                .map(String::trim)
                .filter(h -> h.toLowerCase(Locale.ROOT).startsWith(BEARER))
                .map(h -> h.substring(BEARER.length()).trim())
                .filter(t -> !t.isEmpty());
    }
}
