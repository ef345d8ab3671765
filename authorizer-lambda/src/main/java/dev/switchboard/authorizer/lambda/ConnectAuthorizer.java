package dev.switchboard.authorizer.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.nimbusds.jose.util.JSONObjectUtils;
import dev.switchboard.authorizer.Principal;
import dev.switchboard.authorizer.TokenExtractor;
import dev.switchboard.authorizer.TokenVerifier;
import dev.switchboard.authorizer.Verification;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * API Gateway WebSocket {@code $connect} REQUEST authorizer. Takes the token from the {@code authorization} query
 * parameter or an {@code Authorization: Bearer} header and answers SUMU's shape: {@code principalId} = the user, an
 * IAM policy allowing (or, for a bad token, denying) {@code execute-api:Invoke} on the configured resources, and a
 * {@code context} with {@code user_id}, each configured claim as a string (SUMU's way) and all of them as one JSON
 * text under {@value #CLAIMS}, which every route's integration receives.
 * The verifier (and its JWKS cache) lives as long as the Lambda container. Never logs a token.
 */
public final class ConnectAuthorizer implements RequestHandler<Map<String, Object>, Map<String, Object>> {
    private static final System.Logger LOG = System.getLogger(ConnectAuthorizer.class.getName());

    /** The context key holding the context claims as one JSON object text. */
    public static final String CLAIMS = "claims";

    private final LambdaSettings settings;
    private final TokenVerifier verifier;

    /** For the Lambda runtime: settings from the environment. */
    public ConnectAuthorizer() {
        this(LambdaSettings.fromEnvironment(System.getenv()));
    }

    /** With settings from this environment (the Lambda's names), as the runtime's constructor reads them. */
    public static ConnectAuthorizer fromEnvironment(Map<String, String> environment) {
        return new ConnectAuthorizer(LambdaSettings.fromEnvironment(environment));
    }

    ConnectAuthorizer(LambdaSettings settings) {
        this.settings = settings;
        this.verifier = new TokenVerifier(settings.auth(), Clock.systemUTC());
    }

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
        var methodArn = String.valueOf(event.getOrDefault("methodArn", "*"));
        var resources = settings.policyResources().isEmpty() ? List.of(methodArn) : settings.policyResources();
        var token = TokenExtractor.extract(
                stringIn(event.get("queryStringParameters"), TokenExtractor.QUERY_PARAMETER),
                stringIn(event.get("headers"), "authorization"));
        if (token.isEmpty()) {
            LOG.log(Level.INFO, "connect refused reason=MISSING");
            return deny(resources, "MISSING");
        }
        return switch (verifier.verify(token.get())) {
            case Verification.Verified(var principal) -> allow(principal, resources);
            case Verification.Refused refused -> {
                LOG.log(Level.INFO, "connect refused reason={0}", refused.reason());
                yield deny(resources, refused.reason().name());
            }
        };
    }

    private Map<String, Object> allow(Principal principal, List<String> resources) {
        var answerContext = new LinkedHashMap<String, Object>();
        answerContext.put("user_id", principal.userId());
        var claims = new LinkedHashMap<String, Object>();
        for (var claim : settings.contextClaims()) {
            Optional.ofNullable(principal.claims().get(claim)).ifPresent(v -> {
                answerContext.put(claim, String.valueOf(v));
                claims.put(claim, v);
            });
        }
        // A context holds strings, numbers and booleans only: the claims with their JSON types (lists for topic
        // rules' {claim.NAME}) travel as one JSON text, which the serverless gateway reads on every route.
        answerContext.put(CLAIMS, JSONObjectUtils.toJSONString(claims));
        return answer(principal.userId(), "Allow", resources, answerContext);
    }

    private static Map<String, Object> deny(List<String> resources, String reason) {
        return answer("unauthorized", "Deny", resources, Map.of("reason", reason));
    }

    private static Map<String, Object> answer(
            String principalId, String effect, List<String> resources, Map<String, Object> context) {
        var statement = new LinkedHashMap<String, Object>();
        statement.put("Action", "execute-api:Invoke");
        statement.put("Effect", effect);
        statement.put("Resource", resources);
        var policy = new LinkedHashMap<String, Object>();
        policy.put("Version", "2012-10-17");
        policy.put("Statement", List.of(statement));
        var answer = new LinkedHashMap<String, Object>();
        answer.put("principalId", principalId);
        answer.put("policyDocument", policy);
        answer.put("context", context);
        return answer;
    }

    /** A value of a JSON object in the event, its key matched case-insensitively (HTTP header names). */
    private static Optional<String> stringIn(Object object, String key) {
        if (!(object instanceof Map<?, ?> map)) {
            return Optional.empty();
        }
        return map.entrySet().stream()
                .filter(e -> String.valueOf(e.getKey()).toLowerCase(Locale.ROOT).equals(key))
                .map(Map.Entry::getValue)
                .filter(v -> v instanceof String)
                .map(String.class::cast)
                .findFirst();
    }
}
