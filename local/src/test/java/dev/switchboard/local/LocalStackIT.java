package dev.switchboard.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.SignedJWT;
import dev.switchboard.emulators.DynamoDbEmulator;
import dev.switchboard.emulators.EmulatorSettings;
import dev.switchboard.emulators.Emulators;
import dev.switchboard.emulators.TestClient;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

class LocalStackIT {
    @TempDir
    Path directory;

    @Test
    void whatTheStackWritesIsEnoughToUseEveryPart() throws Exception {
        var settings = TestConfig.settings(onFreePorts(Map.of()));

        try (var stack = LocalStack.start(settings);
                var user = new StackUser(settings.envFile())) {
            assertThat(user.env()).isEqualTo(stack.environment().variables());
            user.findsTheConnectionsTableWithItsIndex();
            user.getsNotificationsThroughTheQueueAndTheTopic(5);
            user.receivesOnTheQueueWhatIsPublishedToTheTopic("MESSAGES", 5);
            user.verifiesTheDevTokenAgainstThePrintedJwks();
            user.talksToTheGatewayWithTheDevToken();
            user.seesBothServicesHealthyAndMetered();
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

    @Test
    void anHmacSecretAloneReplacesTheDevIssuerAndSignsTheDevToken() throws Exception {
        var secret = "a development secret of at least 32 bytes";
        var settings = TestConfig.settings(onFreePorts(Map.of("AUTH_HMAC_SECRET", secret)));

        try (var stack = LocalStack.start(settings)) {
            var env = StackUser.read(settings.envFile());
            var token = SignedJWT.parse(env.get("DEV_TOKEN"));
            assertThat(token.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.HS256);
            assertThat(token.verify(new MACVerifier(secret.getBytes(StandardCharsets.UTF_8))))
                    .isTrue();
            assertThat(env).doesNotContainKey("AUTH_JWKS_URI");
            assertThat(String.join("\n", Files.readAllLines(settings.envFile())))
                    .doesNotContain(secret);
            try (var client = TestClient.connect(URI.create(env.get("WS_URL")))) {
                assertThat(client.pingForConnectionId()).isNotBlank();
            }
        }
    }

    @Test
    void anotherIssuersJwksAndAnHmacSecretTogetherAreRefused() {
        var env = onFreePorts(Map.of(
                "AUTH_JWKS_URI", "https://issuer.example.com/.well-known/jwks.json",
                "AUTH_HMAC_SECRET", "a development secret of at least 32 bytes"));

        assertThatThrownBy(() -> LocalStack.start(TestConfig.settings(env)))
                .isInstanceOf(LocalStackException.class)
                .hasMessageContaining("AUTH_JWKS_URI")
                .hasMessageContaining("AUTH_HMAC_SECRET");
    }

    @Test
    void anotherDynamoDbNamedByItsEndpointIsUsedInsteadOfDynaliteAndItsTableKept() throws Exception {
        try (var other = DynamoDbEmulator.start(EmulatorSettings.LOOPBACK, 0);
                var dynamoDb =
                        Emulators.client(DynamoDbClient.builder(), other.endpoint(), EmulatorSettings.ephemeral())) {
            var settings = TestConfig.settings(onFreePorts(
                    Map.of("AWS_ENDPOINT_URL_DYNAMODB", other.endpoint().toString())));

            try (var stack = LocalStack.start(settings)) {
                var env = stack.environment().variables();
                assertThat(env)
                        .containsEntry(
                                "AWS_ENDPOINT_URL_DYNAMODB", other.endpoint().toString())
                        .doesNotContainKeys("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY");
                try (var client = TestClient.connect(URI.create(env.get("WS_URL")))) {
                    var id = client.pingForConnectionId();
                    var records = dynamoDb.query(b -> b.tableName(settings.connectionsTable())
                                    .indexName(settings.connectionsIndex())
                                    .keyConditionExpression("sk = :sk")
                                    .expressionAttributeValues(Map.of(":sk", AttributeValue.fromS("conn#" + id))))
                            .items();
                    assertThat(records).isNotEmpty();
                }
            }
            // A second run finds the table there (as one Terraform made would be) and uses it.
            try (var again = LocalStack.start(settings)) {
                assertThat(dynamoDb.listTables().tableNames()).containsExactly(settings.connectionsTable());
            }
        }
    }

    private Map<String, String> onFreePorts(Map<String, String> overrides) {
        var env = new HashMap<String, String>();
        for (var port : LocalStack.PORT_VARIABLES) {
            env.put(port, "0");
        }
        env.put("LOCAL_ENV_FILE", directory.resolve("stack.env").toString());
        env.putAll(overrides);
        return env;
    }
}
