package dev.switchboard.bench.lambda;

import dev.switchboard.authorizer.AuthSettings;
import dev.switchboard.authorizer.TokenVerifier;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * The child JVM of {@link LambdaStartBenchmark}: makes what it is told — the authorizer Lambda's handler as the
 * runtime does (its no-argument constructor, settings from the environment), or the authorizer library's verifier
 * alone — and prints how long that took and the JVM's uptime then.
 */
public final class HandlerStart {
    private HandlerStart() {}

    public static void main(String[] args) throws ReflectiveOperationException {
        var start = System.nanoTime();
        Object made =
                switch (args[0]) {
                    case "handler" ->
                        Class.forName("dev.switchboard.authorizer.lambda.ConnectAuthorizer")
                                .getConstructor()
                                .newInstance();
                    case "library" ->
                        new TokenVerifier(
                                AuthSettings.jwks(
                                        URI.create(System.getenv("AUTH_JWKS_URI")), List.of(), Optional.empty()),
                                Clock.systemUTC());
                    default -> throw new IllegalArgumentException("handler or library, not " + args[0]);
                };
        var ms = (System.nanoTime() - start) / 1e6;
        System.out.printf(
                java.util.Locale.ROOT,
                "made=%s ms=%.1f uptime=%d%n",
                made.getClass().getSimpleName(),
                ms,
                ManagementFactory.getRuntimeMXBean().getUptime());
    }
}
