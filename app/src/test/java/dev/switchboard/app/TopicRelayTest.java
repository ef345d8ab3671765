package dev.switchboard.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.app.protocol.Frame;
import dev.switchboard.app.protocol.FrameParser;
import org.junit.jupiter.api.Test;

class TopicRelayTest {
    private final FrameParser parser = new FrameParser(new ObjectMapper(), 4096, 64);

    @Test
    void theFrameIsRelayedExactlyAsSentWithClientsAdded() {
        var sent =
                "{ \"type\":\"publish\", \"topic\":\"r\", \"data\":{\"token\":1795368381639.7415,\"n\":12345678901234567890} }";

        var relayed = Gateway.withClients((Frame.TopicPublish) parser.parse(sent), 3);

        assertThat(relayed)
                .isEqualTo("{ \"type\":\"publish\", \"topic\":\"r\", \"data\":{\"token\":1795368381639.7415,"
                        + "\"n\":12345678901234567890} ,\"clients\":3}");
    }

    @Test
    void aClientsFieldOfTheSendersIsReplacedAsYWebrtcDoes() throws Exception {
        var relayed = Gateway.withClients(
                (Frame.TopicPublish) parser.parse("{\"type\":\"publish\",\"topic\":\"r\",\"clients\":99}"), 2);

        assertThat(new ObjectMapper().readTree(relayed).path("clients").asInt()).isEqualTo(2);
        assertThat(relayed).doesNotContain("99");
    }
}
