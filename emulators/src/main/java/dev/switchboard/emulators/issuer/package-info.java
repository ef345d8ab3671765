/**
 * A test JWT issuer: RSA and EC keys, a JWKS served over HTTP, key rotation, and tokens minted with any claims,
 * header and key, so tests can forge bad ones. Depends on nimbus-jose-jwt and Helidon's web server only.
 */
package dev.switchboard.emulators.issuer;
