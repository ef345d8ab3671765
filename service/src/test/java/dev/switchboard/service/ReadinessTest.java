package dev.switchboard.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReadinessTest {
    @TempDir
    Path directory;

    @Test
    void whatIsAnnouncedIsReadBackWholeAndNothingIsLeftAside() throws Exception {
        var file = directory.resolve("gateway.ready");
        var facts = Map.of(
                "service", "gateway",
                "nodeId", "node-1",
                "port", "8080",
                "managementUrl", "http://10.0.0.7:8081");

        Readiness.write(file, facts);
        Readiness.write(file, Map.of("service", "gateway", "port", "9090")); // a second announcement replaces it

        var read = new java.util.Properties();
        try (var reader = Files.newBufferedReader(file)) {
            read.load(reader);
        }
        assertThat(read).containsExactlyInAnyOrderEntriesOf(Map.of("service", "gateway", "port", "9090"));
        try (var files = Files.list(directory)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("gateway.ready");
        }
    }
}
