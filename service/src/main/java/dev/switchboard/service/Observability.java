package dev.switchboard.service;

import io.helidon.health.HealthCheckResponse;
import io.helidon.health.HealthCheckType;
import io.helidon.webserver.observe.ObserveFeature;
import io.helidon.webserver.observe.health.HealthObserver;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * The health of one service, served by Helidon's observe module on one socket at the paths operators use: {@code
 * /health} (readiness and liveness), {@code /health/live} and {@code /health/ready}, each 200 with {@code
 * {"status":"UP","checks":[…]}} or 503 with {@code DOWN}. No system health checks are discovered: a service reports
 * what it is. Metrics are not served here (docs/architecture.md, "Health and metrics").
 */
public final class Observability {
    private Observability() {}

    /**
     * The observe feature for {@code socket}: readiness is {@code ready}; liveness is the process answering.
     *
     * @param name the readiness check's name in the response
     */
    public static ObserveFeature health(String socket, String name, BooleanSupplier ready) {
        var health = HealthObserver.builder()
                .endpoint("/health")
                .details(true)
                .useSystemServices(false)
                .addCheck(
                        () -> HealthCheckResponse.builder()
                                .status(ready.getAsBoolean())
                                .build(),
                        HealthCheckType.READINESS,
                        name)
                .build();
        return ObserveFeature.builder()
                .endpoint("/")
                .sockets(List.of(socket))
                .observersDiscoverServices(false)
                .addObserver(health)
                .build();
    }
}
