package dev.switchboard.local;

import dev.switchboard.emulators.issuer.JwtIssuer;
import java.net.URI;
import java.util.Optional;

/**
 * Which issuer the stack's gateway trusts: the dev issuer, or another one named by {@code AUTH_JWKS_URI}. An
 * {@code AUTH_JWKS_URI} naming the dev issuer itself (left over from sourcing {@code .local-stack.env}) is the dev
 * issuer.
 *
 * @param issuer the {@code iss} tokens must carry, if any
 * @param devIssuer whether the dev issuer is trusted, and so a dev token can be made
 */
record LocalAuth(URI jwksUri, Optional<String> issuer, boolean devIssuer) {
    static LocalAuth of(JwtIssuer dev, LocalSettings settings) {
        var external = settings.jwksUri().filter(uri -> !uri.equals(dev.jwksUri()));
        if (external.isPresent()) {
            return new LocalAuth(external.get(), settings.authIssuer(), false);
        }
        return new LocalAuth(dev.jwksUri(), Optional.of(settings.authIssuer().orElse(dev.issuer())), true);
    }
}
