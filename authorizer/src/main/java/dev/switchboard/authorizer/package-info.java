/**
 * JWT verification: a token from a query parameter or a Bearer header, checked against a JWKS (or an HMAC secret
 * for development) for signature, algorithm, expiry, not-before, audience, issuer and user claim, becomes a
 * {@link dev.switchboard.authorizer.Principal} or a refusal with a {@link dev.switchboard.authorizer.Reason}.
 * Plain Java and nimbus-jose-jwt only. Never logs a token.
 */
package dev.switchboard.authorizer;
