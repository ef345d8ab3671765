package dev.switchboard.emulators;

import java.util.concurrent.CountDownLatch;

/** A JVM that starts the DynamoDB emulator, says its pid and port, and waits to be killed: for DynamoDbEmulatorProcessIT. */
final class DynaliteHolder {
    private DynaliteHolder() {}

    public static void main(String[] args) throws InterruptedException {
        var dynamoDb = DynamoDbEmulator.start(EmulatorSettings.LOOPBACK, 0);
        System.out.println("dynalite started pid=" + dynamoDb.pid() + " port=" + dynamoDb.port());
        new CountDownLatch(1).await();
    }
}
