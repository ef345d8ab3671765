package dev.switchboard.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalStackIT {
    @TempDir
    Path directory;

    @Test
    void whatTheStackWritesIsEnoughToUseEveryPart() throws Exception {
        var settings = TestConfig.settings(onFreePorts(Map.of()));

        try (var stack = LocalStack.start(settings);
                var user = new StackUser(settings.envFile())) {
            assertThat(user.env()).isEqualTo(stack.environment().variables());
            user.findsTheConnectionsTableWithItsIndexAndTtl();
            user.getsNotificationsThroughTheQueueAndTheTopic(5);
            user.receivesOnTheQueueWhatIsPublishedToTheTopic("MESSAGES", 5);
            user.verifiesTheDevTokenAgainstThePrintedJwks();
            user.talksToTheGatewayWithTheDevToken();
        }
    }

    @Test
    void aTakenPortIsNamedWithTheVariableThatMovesIt() throws IOException {
        try (var taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            var env = onFreePorts(Map.of("DYNAMODB_PORT", Integer.toString(taken.getLocalPort())));

            assertThatThrownBy(() -> LocalStack.start(TestConfig.settings(env)))
                    .isInstanceOf(LocalStackException.class)
                    .hasMessageContaining("port " + taken.getLocalPort())
                    .hasMessageContaining("DYNAMODB_PORT");
        }
    }

    @Test
    void anotherIssuersJwksReplacesTheDevIssuerAndNoDevTokenIsMade() throws Exception {
        var jwks = "https://issuer.example.com/.well-known/jwks.json";
        var settings = TestConfig.settings(onFreePorts(Map.of("AUTH_JWKS_URI", jwks)));

        try (var stack = LocalStack.start(settings)) {
            var env = StackUser.read(settings.envFile());
            assertThat(stack.environment().devToken()).isEmpty();
            assertThat(env).containsEntry("AUTH_JWKS_URI", jwks).doesNotContainKey("DEV_TOKEN");
            assertThat(env.get("WS_URL")).doesNotContain("authorization=");
        }
    }

    @Test
    void theDevIssuersOwnJwksLeftInTheEnvironmentStillMeansTheDevIssuer() throws Exception {
        var first = TestConfig.settings(onFreePorts(Map.of()));
        Map<String, String> written;
        try (var stack = LocalStack.start(first)) {
            written = StackUser.read(first.envFile());
            assertThat(written).isEqualTo(stack.environment().variables());
        }
        // A second run from a shell that sourced the first run's file, on the same issuer port.
        var issuerPort =
                Integer.toString(URI.create(written.get("AUTH_JWKS_URI")).getPort());
        var env = onFreePorts(Map.of("AUTH_JWKS_URI", written.get("AUTH_JWKS_URI"), "ISSUER_PORT", issuerPort));

        try (var stack = LocalStack.start(TestConfig.settings(env))) {
            assertThat(stack.environment().devToken()).isPresent();
        }
    }

    private Map<String, String> onFreePorts(Map<String, String> overrides) {
        var env = new HashMap<String, String>();
        for (var port : new String[] {
            "DYNAMODB_PORT", "SQS_PORT", "SNS_PORT", "ISSUER_PORT", "SERVER_PORT", "MANAGEMENT_PORT", "PUSHER_PORT"
        }) {
            env.put(port, "0");
        }
        env.put("LOCAL_ENV_FILE", directory.resolve("stack.env").toString());
        env.putAll(overrides);
        return env;
    }
}
