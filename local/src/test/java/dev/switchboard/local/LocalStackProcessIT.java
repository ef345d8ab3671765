package dev.switchboard.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.emulators.Await;
import dev.switchboard.emulators.ServiceProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local stack as its own process, configured only by environment variables, stopped by a signal. */
class LocalStackProcessIT {
    @TempDir
    Path directory;

    private ServiceProcess stack;

    @AfterEach
    void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void environmentVariablesConfigureItAndSigtermStopsItCleanly() throws Exception {
        var envFile = directory.resolve("stack.env");
        var env = new HashMap<String, String>();
        LocalStack.PORT_VARIABLES.forEach(port -> env.put(port, "0"));
        env.put("LOCAL_ENV_FILE", envFile.toString());
        env.put("LOCAL_PREFIX", "proc");
        env.put("AWS_REGION", "eu-west-1");
        env.put("LOCAL_REDRIVE_RECEIVES", "7");

        stack = ServiceProcess.launch(
                LocalStack.class.getName(), List.of(), List.of(), env, directory.resolve("output.txt"));

        assertThat(stack.ready("service")).isEqualTo("local");
        assertThat(stack.ready("emulatorsMs")).containsOnlyDigits();
        try (var user = new StackUser(envFile)) {
            assertThat(user.get("AWS_REGION")).isEqualTo("eu-west-1");
            assertThat(stack.ready("WS_URL")).isEqualTo(user.get("WS_URL"));
            assertThat(user.get("NOTIFICATIONS_TOPIC_ARN"))
                    .isEqualTo("arn:aws:sns:eu-west-1:000000000000:proc-notifications");
            assertThat(stack.output())
                    .as("the banner, printed before the ready file")
                    .anyMatch(line -> line.contains("NOTIFICATIONS_QUEUE_URL=" + user.get("NOTIFICATIONS_QUEUE_URL")));
            user.getsNotificationsThroughTheQueueAndTheTopic(7);
            user.talksToTheGatewayWithTheDevToken();
        }

        // SIGTERM, as Ctrl-C's SIGINT: the shutdown hook stops the emulators
        assertThat(stack.stop(Duration.ofSeconds(30))).isTrue();
        Await.until(
                "the goodbye line (exit " + stack.process().exitValue() + ")",
                Duration.ofSeconds(5),
                stack::output,
                lines -> lines.contains("Local stack stopped."));
    }
}
