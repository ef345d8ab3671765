package dev.switchboard.registry;

import dev.switchboard.emulators.Emulators;
import dev.switchboard.emulators.TestNames;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** A registry on a table of its own in the emulators' DynamoDB, with a clock the test moves. */
final class RegistryFixture {
    final Emulators emulators;
    final RegistrySettings settings;
    final MutableClock clock = new MutableClock();

    RegistryFixture(Emulators emulators, TestNames names, int pageSize) {
        this.emulators = emulators;
        this.settings = RegistrySettings.of(names.unique("registry")).withPageSize(pageSize);
        RegistryTable.create(emulators.dynamoDbClient(), settings);
    }

    /** A registry as one gateway node would have it; several share the table like several nodes. */
    ConnectionRegistry node() {
        return new ConnectionRegistry(emulators.dynamoDbClient(), settings, clock);
    }

    Connection connection(String id, String user, String node) {
        return new Connection(
                id,
                user,
                node,
                "http://" + node + ":8081",
                Instant.now().truncatedTo(ChronoUnit.MILLIS),
                Map.of("sub", user));
    }

    /** Every item of the table (a Scan: tests only). */
    List<Map<String, AttributeValue>> tableItems() {
        return emulators.dynamoDbClient().scanPaginator(b -> b.tableName(settings.table())).items().stream()
                .toList();
    }

    /** Every item of the index (a Scan: tests only). */
    List<Map<String, AttributeValue>> indexItems() {
        return emulators
                .dynamoDbClient()
                .scanPaginator(b -> b.tableName(settings.table()).indexName(settings.index()))
                .items()
                .stream()
                .toList();
    }
}
