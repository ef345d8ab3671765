package dev.switchboard.emulators;

import java.net.URI;
import java.util.Optional;

/**
 * Where the emulators listen and which account they pretend to be. Port 0 picks a free port.
 *
 * @param host the address every emulator binds to (loopback)
 * @param region the AWS region in ARNs and queue URLs
 * @param accountId the AWS account in ARNs and queue URLs
 * @param externalDynamoDb another DynamoDB to use instead of starting dynalite (real AWS, another emulator)
 */
public record EmulatorSettings(
        String host,
        int dynamoDbPort,
        int sqsPort,
        int snsPort,
        int issuerPort,
        String region,
        String accountId,
        Optional<URI> externalDynamoDb) {
    public static final String LOOPBACK = "127.0.0.1";
    public static final String REGION = "us-east-1";
    public static final String ACCOUNT_ID = "000000000000";

    /** Free ports on loopback: for tests. */
    public static EmulatorSettings ephemeral() {
        return new EmulatorSettings(LOOPBACK, 0, 0, 0, 0, REGION, ACCOUNT_ID, Optional.empty());
    }
}
