package dev.switchboard.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The examples as people use them: a local stack on free ports serving {@code examples/}, and each example's
 * browser test ({@code examples/tests/*.test.mjs}: Debian's Chromium driven by playwright-core) against it. A failed
 * test leaves screenshots in {@code local/target/screenshots}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExamplesIT {
    private static final Path EXAMPLES =
            Path.of("..", "examples").toAbsolutePath().normalize();

    /** How long a call room lives here: long enough for the flow, short enough to watch it expire. */
    private static final java.time.Duration CALL_ROOM_TTL = java.time.Duration.ofSeconds(20);

    private LocalStack stack;
    private dev.switchboard.examples.callrooms.CallRooms callRooms;
    private software.amazon.awssdk.services.sqs.SqsClient sqs;

    @BeforeAll
    void start(@TempDir Path directory) {
        var env = new HashMap<String, String>();
        for (var port : LocalStack.PORT_VARIABLES) {
            env.put(port, "0");
        }
        env.put("LOCAL_ENV_FILE", directory.resolve("stack.env").toString());
        env.put("EXAMPLES_DIR", EXAMPLES.toString());
        stack = LocalStack.start(TestConfig.settings(env));
        var variables = stack.environment().variables();
        sqs = software.amazon.awssdk.services.sqs.SqsClient.builder()
                .endpointOverride(URI.create(variables.get("AWS_ENDPOINT_URL_SQS")))
                .region(software.amazon.awssdk.regions.Region.of(variables.get("AWS_REGION")))
                .credentialsProvider(software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                        software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create(
                                variables.get("AWS_ACCESS_KEY_ID"), variables.get("AWS_SECRET_ACCESS_KEY"))))
                .build();
        // The call-rooms example's backend, as its README runs it beside the stack.
        callRooms = new dev.switchboard.examples.callrooms.CallRooms(
                sqs,
                variables.get("MESSAGES_QUEUE_URL"),
                variables.get("NOTIFICATIONS_QUEUE_URL"),
                CALL_ROOM_TTL,
                java.time.Clock.systemUTC());
    }

    @AfterAll
    void stop() {
        callRooms.close();
        sqs.close();
        stack.close();
    }

    @Test
    void aRefusedJoinIsRefusedAnApprovedOneEndsInAPeerConnectionAndTheRoomExpires() throws Exception {
        assertThat(browserTest("calls.test.mjs")).endsWith("calls: passed\nexit 0");
    }

    @Test
    void theExamplesAreServedWithTheirConfigAndADevTokenRoute() throws Exception {
        var base = stack.environment().variables().get("EXAMPLES_URL");
        var http = HttpClient.newHttpClient();

        var index = http.send(
                HttpRequest.newBuilder(URI.create(base + "/chat/")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(index.statusCode()).isEqualTo(200);
        assertThat(index.body()).contains("<title>Switchboard chat</title>");
        var config = http.send(
                HttpRequest.newBuilder(URI.create(base + "/config.json")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(config.body())
                .contains(stack.environment().variables().get("WS_URL").split("\\?")[0]);
        var token = http.send(
                HttpRequest.newBuilder(URI.create(base + "/token?user=alice")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(token.statusCode()).isEqualTo(200);
        assertThat(token.body()).startsWith("eyJ");
        var bad = http.send(
                HttpRequest.newBuilder(URI.create(base + "/token?user=%3Cscript%3E"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(bad.statusCode()).isEqualTo(400);
    }

    @Test
    void theChatShowsPresenceHistoryWhatWasMissedAndABackendsNotice() throws Exception {
        assertThat(browserTest("chat.test.mjs")).endsWith("chat: passed\nexit 0");
    }

    @Test
    void theConsoleShowsAPagesConnectionAndItsNotificationReachesThePage() throws Exception {
        assertThat(browserTest("console.test.mjs")).endsWith("console: passed\nexit 0");
    }

    @Test
    void twoEditorsConvergeAndALateOneGetsTheWholeDocument() throws Exception {
        assertThat(browserTest("editor.test.mjs")).endsWith("editor: passed\nexit 0");
    }

    /** Runs one browser test with the stack's environment; what it printed, and its exit code, last. */
    private String browserTest(String script) throws IOException, InterruptedException {
        var screenshots = Path.of("target", "screenshots").toAbsolutePath();
        Files.createDirectories(screenshots);
        var node = System.getenv().getOrDefault("SWITCHBOARD_NODE", "node");
        var process = new ProcessBuilder(
                        node, EXAMPLES.resolve("tests").resolve(script).toString())
                .directory(EXAMPLES.resolve("tests").toFile())
                .redirectErrorStream(true);
        Map<String, String> env = process.environment();
        env.putAll(stack.environment().variables());
        env.put("SCREENSHOTS", screenshots.toString());
        env.put("CALL_ROOM_TTL_SECONDS", Long.toString(CALL_ROOM_TTL.toSeconds()));
        var running = process.start();
        running.getOutputStream().close();
        var output = new StringBuilder();
        var reader = Thread.ofVirtual().start(() -> {
            try (var lines = new java.io.BufferedReader(
                    new java.io.InputStreamReader(running.getInputStream(), java.nio.charset.StandardCharsets.UTF_8))) {
                lines.lines().forEach(line -> {
                    System.out.println(script + " | " + line);
                    synchronized (output) {
                        output.append(line).append('\n');
                    }
                });
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        if (!running.waitFor(3, TimeUnit.MINUTES)) {
            running.destroyForcibly();
            throw new AssertionError(script + " did not end within 3 minutes");
        }
        reader.join();
        synchronized (output) {
            return output.append("exit ").append(running.exitValue()).toString();
        }
    }
}
