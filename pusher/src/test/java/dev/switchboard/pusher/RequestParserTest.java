package dev.switchboard.pusher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.pusher.request.NotificationRequest;
import dev.switchboard.pusher.request.RequestParser;
import dev.switchboard.pusher.request.RequestParser.Accepted;
import dev.switchboard.pusher.request.RequestParser.Refused;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RequestParserTest {
    private final RequestParser parser = new RequestParser(new ObjectMapper(), 64);

    private NotificationRequest accepted(String body) {
        var parsed = parser.parse(body);
        assertThat(parsed).isInstanceOf(Accepted.class);
        return ((Accepted) parsed).request();
    }

    private String refused(String body) {
        var parsed = parser.parse(body);
        assertThat(parsed).isInstanceOf(Refused.class);
        return ((Refused) parsed).reason();
    }

    @Test
    void usersAndTopicsAreTargetsAndOnlyDataIsSentSerializedAsJson() {
        var request = accepted("{\"users\":[\"a\",\"b\",\"a\"],\"topics\":[\"t\"],\"data\":{ \"x\" : [1, \"y\"] },"
                + "\"other\":true}");

        assertThat(request.users()).containsExactly("a", "b");
        assertThat(request.topics()).containsExactly("t");
        assertThat(request.broadcast()).isFalse();
        assertThat(request.data()).isEqualTo("{\"x\":[1,\"y\"]}");
    }

    @Test
    void dataAloneOrEmptyUsersIsABroadcastAndExclusionsAreKept() {
        assertThat(accepted("{\"data\":\"hi\"}").broadcast()).isTrue();
        var request = accepted("{\"users\":[],\"data\":1,\"exclude_users\":[\"c\"]}");

        assertThat(request.broadcast()).isTrue();
        assertThat(request.excludeUsers()).isEqualTo(Set.of("c"));
        assertThat(request.data()).isEqualTo("1");
    }

    @Test
    void anSnsEnvelopeIsOpenedToItsMessage() throws IOException {
        var envelope = new String(
                getClass().getResourceAsStream("/requests/sns-envelope.json").readAllBytes(), StandardCharsets.UTF_8);

        var request = accepted(envelope);

        assertThat(request.users()).isEqualTo(List.of("alice", "bob"));
        assertThat(request.topics()).isEqualTo(List.of("room-1"));
        assertThat(request.data()).isEqualTo("{\"text\":\"hello\",\"n\":[1,2]}");
    }

    @Test
    void whatIsNotARequestIsRefusedWithTheReason() {
        assertThat(refused("{\"users\":[\"a\"]")).startsWith("not JSON");
        assertThat(refused("[1,2]")).isEqualTo("not a JSON object");
        assertThat(refused("{\"users\":[\"a\"]}")).isEqualTo("no data");
        assertThat(refused("{\"users\":\"a\",\"data\":1}")).isEqualTo("users is not an array of strings");
        assertThat(refused("{\"topics\":[1],\"data\":1}")).contains("topics holds something other than");
        assertThat(refused("{\"exclude_users\":[\"\"],\"data\":1}")).contains("exclude_users holds");
        assertThat(refused("{\"Type\":\"Notification\",\"TopicArn\":\"arn\",\"Message\":\"nope\"}"))
                .startsWith("the SNS envelope's Message is not JSON");
    }

    @Test
    void dataLargerThanAClientFrameIsRefusedCountingUtf8Bytes() {
        accepted("{\"data\":\"" + "x".repeat(62) + "\"}"); // 64 bytes with its quotes

        assertThat(refused("{\"data\":\"" + "x".repeat(63) + "\"}"))
                .isEqualTo("data is 65 bytes; a client frame takes at most 64");
        assertThat(refused("{\"data\":\"" + "é".repeat(32) + "\"}")).startsWith("data is 66 bytes");
    }
}
