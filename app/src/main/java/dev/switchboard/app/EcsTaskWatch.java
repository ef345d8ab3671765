package dev.switchboard.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Behind an ALB on ECS, a stopping task is first deregistered from its target group, and only after the
 * deregistration delay — when the ALB has cut every connection still open — does it get SIGTERM: a drain begun
 * then tells nobody 1001. So the gateway watches its own task in the ECS task metadata endpoint ({@code
 * ECS_CONTAINER_METADATA_URI_V4}, which the ECS agent sets in every container: no permission, no SDK) and begins its
 * drain as soon as the task's {@code DesiredStatus} turns {@code STOPPED}, within the deregistration delay. Outside
 * ECS (the variable unset) it does nothing. A failed poll is logged once and retried; it never stops the node.
 */
final class EcsTaskWatch implements AutoCloseable {
    /** The variable the ECS agent sets. */
    static final String METADATA_VARIABLE = "ECS_CONTAINER_METADATA_URI_V4";

    static final Duration EVERY = Duration.ofSeconds(2);

    private static final System.Logger LOG = System.getLogger(EcsTaskWatch.class.getName());

    private final ScheduledExecutorService timer;

    private EcsTaskWatch(ScheduledExecutorService timer) {
        this.timer = timer;
    }

    /** Watches the task when running on ECS; {@code stopping} is called once, with why. */
    static Optional<EcsTaskWatch> start(Optional<String> metadataUri, Consumer<String> stopping) {
        if (metadataUri.isEmpty() || metadataUri.get().isBlank()) {
            return Optional.empty();
        }
        var task = URI.create(metadataUri.get().replaceAll("/+$", "") + "/task");
        var http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        var json = new ObjectMapper();
        var timer = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("ecs-task-watch").daemon().factory());
        var watch = new EcsTaskWatch(timer);
        var failing = new boolean[1];
        timer.scheduleWithFixedDelay(
                () -> {
                    try {
                        var response = http.send(
                                HttpRequest.newBuilder(task)
                                        .timeout(Duration.ofSeconds(1))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
                        var desired = json.readTree(response.body())
                                .path("DesiredStatus")
                                .asText("");
                        failing[0] = false;
                        if ("STOPPED".equals(desired)) {
                            timer.shutdown();
                            stopping.accept("ECS is stopping this task (DesiredStatus STOPPED)");
                        }
                    } catch (IOException | RuntimeException e) {
                        if (!failing[0]) {
                            LOG.log(Level.WARNING, "ECS task metadata not read from {0}: {1}", task, e.toString());
                        }
                        failing[0] = true;
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                },
                EVERY.toMillis(),
                EVERY.toMillis(),
                TimeUnit.MILLISECONDS);
        LOG.log(Level.INFO, "watching ECS task metadata {0}: a stopping task drains at once", task);
        return Optional.of(watch);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
