package dev.switchboard.app.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

class FrameParserTest {
    private final FrameParser parser = new FrameParser(new ObjectMapper(), 8);

    @Test
    void sumuFramesParse() {
        assertThat(parser.parse("{\"action\":\"ping\"}")).isInstanceOf(Frame.Ping.class);
        assertThat(parser.parse("{\"action\":\"send\",\"message\":{\"a\":1}}"))
                .isInstanceOfSatisfying(
                        Frame.Send.class,
                        s -> assertThat(s.message().path("a").asInt()).isEqualTo(1));
        assertThat(parser.parse("{\"action\":\"publish\",\"message\":\"text\"}"))
                .isInstanceOf(Frame.Publish.class);
    }

    @Test
    void yWebrtcFramesParseAndKeepEverythingElseOpaque() {
        assertThat(parser.parse("{\"type\":\"subscribe\",\"topics\":[\"a\",\"b\"]}"))
                .isEqualTo(new Frame.Subscribe(List.of("a", "b")));
        assertThat(parser.parse("{\"type\":\"unsubscribe\",\"topics\":[]}"))
                .isEqualTo(new Frame.Unsubscribe(List.of()));
        assertThat(parser.parse("{\"type\":\"ping\"}")).isInstanceOf(Frame.TopicPing.class);
        assertThat(parser.parse("{\"type\":\"subscribe\",\"topics\":[\"a\"],\"presence\":true}"))
                .isEqualTo(new Frame.Subscribe(List.of("a"), true));
        assertThat(parser.parse("{\"type\":\"presence\",\"topic\":\"a\"}"))
                .isEqualTo(new Frame.PresenceQuery("a", java.util.Optional.empty(), FrameParser.DEFAULT_MEMBERS));
        assertThat(parser.parse("{\"type\":\"presence\",\"topic\":\"a\",\"cursor\":\"bob\",\"limit\":5}"))
                .isEqualTo(new Frame.PresenceQuery("a", java.util.Optional.of("bob"), 5));
        assertThat(
                        parser.parse(
                                "{\"type\":\"subscribe\",\"topics\":[\"t\"],\"since\":{\"t\":{\"offset\":7,\"epoch\":\"e1\"}}}"))
                .isEqualTo(new Frame.Subscribe(List.of("t"), false, java.util.Map.of("t", new Frame.Since(7, "e1"))));
        assertThat(parser.parse("{\"type\":\"history\",\"topic\":\"t\",\"limit\":3}"))
                .isEqualTo(new Frame.HistoryQuery("t", 3));
        var refresh = parser.parse("{\"type\":\"refresh\",\"token\":\"eyJ.secret.sig\"}");
        assertThat(refresh).isEqualTo(new Frame.Refresh("eyJ.secret.sig"));
        assertThat(refresh.toString()).as("a token is never logged").doesNotContain("secret");
        assertThat(parser.parse("{\"type\":\"publish\",\"topic\":\"t\",\"data\":\"YmFzZTY0\",\"extra\":[1]}"))
                .isInstanceOfSatisfying(Frame.TopicPublish.class, p -> {
                    assertThat(p.topic()).isEqualTo("t");
                    assertThat(p.frame().path("data").asText()).isEqualTo("YmFzZTY0");
                    assertThat(p.frame().path("extra").get(0).asInt()).isEqualTo(1);
                });
    }

    @Test
    void everyBadFrameGetsItsCode() {
        assertThat(code("nope")).isEqualTo(ErrorCode.INVALID_JSON);
        assertThat(code("42")).isEqualTo(ErrorCode.INVALID_JSON);
        assertThat(code("{}")).isEqualTo(ErrorCode.MISSING_VERB);
        assertThat(code("{\"action\":7}")).isEqualTo(ErrorCode.INVALID_FIELD);
        assertThat(code("{\"action\":\"x\"}")).isEqualTo(ErrorCode.UNKNOWN_ACTION);
        assertThat(code("{\"type\":\"x\"}")).isEqualTo(ErrorCode.UNKNOWN_TYPE);
        assertThat(code("{\"type\":\"subscribe\",\"topics\":[1]}")).isEqualTo(ErrorCode.INVALID_FIELD);
        assertThat(code("{\"type\":\"subscribe\",\"topics\":[\"123456789\"]}")).isEqualTo(ErrorCode.TOPIC_TOO_LONG);
        assertThat(code("{\"type\":\"publish\"}")).isEqualTo(ErrorCode.INVALID_FIELD);
        assertThat(code("{\"type\":\"subscribe\",\"topics\":[\"a\"],\"presence\":\"yes\"}"))
                .isEqualTo(ErrorCode.INVALID_FIELD);
        assertThat(code("{\"type\":\"presence\"}")).isEqualTo(ErrorCode.INVALID_FIELD);
        assertThat(code("{\"type\":\"subscribe\",\"topics\":[\"t\"],\"since\":{\"u\":{\"offset\":1,\"epoch\":\"e\"}}}"))
                .as("since names a topic it does not subscribe")
                .isEqualTo(ErrorCode.INVALID_FIELD);
        assertThat(
                        code(
                                "{\"type\":\"subscribe\",\"topics\":[\"t\"],\"since\":{\"t\":{\"offset\":-1,\"epoch\":\"e\"}}}"))
                .isEqualTo(ErrorCode.INVALID_FIELD);
        assertThat(code("{\"type\":\"history\"}")).isEqualTo(ErrorCode.INVALID_FIELD);
        assertThat(code("{\"type\":\"presence\",\"topic\":\"a\",\"limit\":1001}"))
                .isEqualTo(ErrorCode.INVALID_FIELD);
        assertThat(code("{\"type\":\"presence\",\"topic\":\"a\",\"limit\":2.5}"))
                .isEqualTo(ErrorCode.INVALID_FIELD);
        assertThat(code("{\"type\":\"presence\",\"topic\":\"a\",\"cursor\":3}")).isEqualTo(ErrorCode.INVALID_FIELD);
        assertThat(code("{\"action\":\"send\",\"message\":null}")).isEqualTo(ErrorCode.INVALID_FIELD);
    }

    @Test
    void wireNamesAreLowerCase() {
        assertThat(ErrorCode.INVALID_JSON.wireName()).isEqualTo("invalid_json");
    }

    private ErrorCode code(String text) {
        return ((Frame.Invalid) parser.parse(text)).code();
    }
}
