package dev.switchboard.emulators;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.CountDownLatch;

/**
 * A JVM that starts the DynamoDB emulator, writes its pid and port to its ready file (as our services do), and waits
 * to be killed: for DynamoDbEmulatorProcessIT.
 */
final class DynaliteHolder {
    private DynaliteHolder() {}

    public static void main(String[] args) throws InterruptedException, IOException {
        var dynamoDb = DynamoDbEmulator.start(EmulatorSettings.LOOPBACK, 0);
        var ready = Path.of(System.getenv("READY_FILE"));
        var aside = ready.resolveSibling(ready.getFileName() + ".tmp");
        Files.writeString(aside, "pid=" + dynamoDb.pid() + "\nport=" + dynamoDb.port() + "\n");
        Files.move(aside, ready, StandardCopyOption.ATOMIC_MOVE);
        new CountDownLatch(1).await();
    }
}
