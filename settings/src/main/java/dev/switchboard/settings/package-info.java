/**
 * The one way every module reads its settings: {@link dev.switchboard.settings.Settings} over Helidon config, and
 * the token checks' keys ({@link dev.switchboard.settings.AuthConfig}). Depends on Helidon config and, for
 * AuthConfig only, the authorizer library; nothing else of ours.
 */
package dev.switchboard.settings;
