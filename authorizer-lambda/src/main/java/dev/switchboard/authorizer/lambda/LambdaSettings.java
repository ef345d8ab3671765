package dev.switchboard.authorizer.lambda;

import dev.switchboard.authorizer.AuthSettings;
import dev.switchboard.settings.AuthConfig;
import dev.switchboard.settings.Settings;
import java.util.List;
import java.util.Map;

/**
 * The Lambda's settings, from its environment under the gateway's names and defaults for the token checks ({@code
 * AUTH_JWKS_URI} or {@code AUTH_HMAC_SECRET}, {@code AUTH_AUDIENCES}, … — {@code auth.yaml}) and its own keys ({@value
 * #DEFAULTS}): the claims copied into the authorizer context and the resources the policy names.
 *
 * @param contextClaims claims copied into the authorizer context ({@code AUTH_CONTEXT_CLAIMS}); default none
 * @param policyResources the resources the policy names ({@code AUTH_POLICY_RESOURCES}); default the request's method
 *     ARN
 */
record LambdaSettings(AuthSettings auth, List<String> contextClaims, List<String> policyResources) {
    /** The class path resource with the Lambda's own keys and their defaults. */
    static final String DEFAULTS = "authorizer.yaml";

    /** Its own defaults, then the token checks'. */
    static final List<String> DEFAULTS_FILES = List.of(DEFAULTS, AuthConfig.DEFAULTS);

    /**
     * Reads exactly {@code environment} over the defaults.
     *
     * @throws dev.switchboard.settings.SettingsException naming the variable that is missing or bad
     */
    static LambdaSettings fromEnvironment(Map<String, String> environment) {
        return from(Settings.of(Settings.fromEnvironment(DEFAULTS_FILES, environment)));
    }

    static LambdaSettings from(Settings settings) {
        return new LambdaSettings(
                AuthConfig.read(settings),
                settings.list("auth.context.claims"),
                settings.list("auth.policy.resources"));
    }
}
