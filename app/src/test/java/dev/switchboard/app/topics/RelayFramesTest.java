package dev.switchboard.app.topics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.app.protocol.Frame;
import dev.switchboard.app.protocol.FrameParser;
import dev.switchboard.app.protocol.MalformedBodyException;
import dev.switchboard.app.topics.RelayBatch.Relayed;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What a topic relay carries, without sockets: the publisher's frame as sent with {@code clients} added, and the
 * batches between nodes ({@code RelayBatch}). (Named for what it tests: the relay itself is tested across nodes in
 * ClusterIT.)
 */
class RelayFramesTest {
    private final FrameParser parser = new FrameParser(new ObjectMapper(), 64);

    @Test
    void theFrameIsRelayedExactlyAsSentWithClientsAdded() {
        var sent =
                "{ \"type\":\"publish\", \"topic\":\"r\", \"data\":{\"token\":1795368381639.7415,\"n\":12345678901234567890} }";

        var relayed = ((Frame.TopicPublish) parser.parse(sent)).withClients(3);

        assertThat(relayed)
                .isEqualTo("{ \"type\":\"publish\", \"topic\":\"r\", \"data\":{\"token\":1795368381639.7415,"
                        + "\"n\":12345678901234567890} ,\"clients\":3}");
    }

    @Test
    void aClientsFieldOfTheSendersIsReplacedAsYWebrtcDoes() throws Exception {
        var relayed = ((Frame.TopicPublish) parser.parse("{\"type\":\"publish\",\"topic\":\"r\",\"clients\":99}"))
                .withClients(2);

        assertThat(new ObjectMapper().readTree(relayed).path("clients").asInt()).isEqualTo(2);
        assertThat(relayed).doesNotContain("99");
    }

    @Test
    void aRelayBatchCarriesTopicsAndFramesUntouched() {
        var batch = List.of(
                new Relayed("room:1", "{\"type\":\"publish\",\n \"data\":\"12:x\"}"),
                new Relayed("7", ""),
                new Relayed("caf\u00e9 \uD83D\uDE00", "{\"clients\":3}"),
                new Relayed("~room", "{\"type\":\"join\"}", true),
                new Relayed("@kept", "{\"offset\":12}", false, 12));

        assertThat(RelayBatch.decode(RelayBatch.encode(batch))).isEqualTo(batch);
        assertThat(RelayBatch.decode("")).isEmpty();
    }

    @Test
    void aBrokenRelayBatchIsRefusedNamingWhere() {
        assertThatThrownBy(() -> RelayBatch.decode("5:room"))
                .isInstanceOf(MalformedBodyException.class)
                .hasMessageContaining("offset 0");
        assertThatThrownBy(() -> RelayBatch.decode("1:r2:{}x"))
                .isInstanceOf(MalformedBodyException.class)
                .hasMessageContaining("offset 7");
        assertThatThrownBy(() -> RelayBatch.decode("-1:r")).isInstanceOf(MalformedBodyException.class);
    }
}
