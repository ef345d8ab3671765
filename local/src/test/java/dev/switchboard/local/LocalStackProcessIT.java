package dev.switchboard.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.emulators.Await;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local stack as its own process, configured only by environment variables, stopped by a signal. */
class LocalStackProcessIT {
    private static final Duration START_DEADLINE = Duration.ofSeconds(90);

    @TempDir
    Path directory;

    private Process process;
    private Path outputFile;

    @AfterEach
    void stop() {
        if (process != null) {
            process.destroyForcibly();
        }
    }

    @Test
    void environmentVariablesConfigureItAndSigtermStopsItCleanly() throws Exception {
        var envFile = directory.resolve("stack.env");
        outputFile = directory.resolve("output.txt");
        var builder = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        LocalStack.class.getName())
                .redirectErrorStream(true)
                .redirectOutput(outputFile.toFile());
        var env = builder.environment();
        env.keySet().removeIf(key -> key.startsWith("AWS_") || key.startsWith("AUTH_"));
        LocalStack.PORT_VARIABLES.forEach(port -> env.put(port, "0"));
        env.put("LOCAL_ENV_FILE", envFile.toString());
        env.put("LOCAL_PREFIX", "proc");
        env.put("AWS_REGION", "eu-west-1");
        env.put("LOCAL_REDRIVE_RECEIVES", "7");

        process = builder.start();
        Await.until("the stack to say it is up", START_DEADLINE, this::output, lines -> lines.stream()
                .anyMatch(line -> line.contains("local stack is up") || !process.isAlive()));
        assertThat(process.isAlive()).as("running; output: %s", output()).isTrue();

        try (var user = new StackUser(envFile)) {
            assertThat(user.get("AWS_REGION")).isEqualTo("eu-west-1");
            assertThat(user.get("NOTIFICATIONS_TOPIC_ARN"))
                    .isEqualTo("arn:aws:sns:eu-west-1:000000000000:proc-notifications");
            assertThat(output())
                    .anyMatch(line -> line.contains("NOTIFICATIONS_QUEUE_URL=" + user.get("NOTIFICATIONS_QUEUE_URL")));
            user.getsNotificationsThroughTheQueueAndTheTopic(7);
            user.talksToTheGatewayWithTheDevToken();
        }

        process.destroy(); // SIGTERM, as Ctrl-C's SIGINT: the shutdown hook stops the emulators

        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        Await.until(
                "the goodbye line (exit " + process.exitValue() + ")",
                Duration.ofSeconds(5),
                this::output,
                lines -> lines.contains("Local stack stopped."));
    }

    private List<String> output() {
        try {
            return Files.readAllLines(outputFile);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
