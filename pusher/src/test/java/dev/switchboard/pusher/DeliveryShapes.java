package dev.switchboard.pusher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.emulators.Await;
import dev.switchboard.emulators.Emulators;
import dev.switchboard.emulators.EmulatorsExtension;
import dev.switchboard.emulators.TestNames;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every shape of notification request — users, topics, both, everyone less some — reaching real WebSocket clients on
 * two real gateway nodes (own processes) exactly once, whether sent to SQS directly or through SNS raw and
 * enveloped; run per connection ({@link ShapesPerConnectionIT}) and per node ({@link ShapesPerNodeIT}).
 */
@ExtendWith(EmulatorsExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class DeliveryShapes {
    static final Duration DEADLINE = Duration.ofSeconds(30);

    PushStack stack;

    /** The pusher's delivery settings under test. */
    abstract Map<String, String> mode();

    @BeforeAll
    void start(Emulators emulators, TestNames names, @TempDir Path directory) {
        stack = new PushStack(emulators, names, directory, 2);
    }

    @AfterAll
    void stop() {
        stack.close();
    }

    @Test
    void usersTopicsAndBothTogetherReachEachConnectionOnceAcrossNodes(TestNames names) throws Exception {
        var queues = stack.queues(names, 5);
        stack.pusher(queues, mode());
        var alice = names.unique("alice");
        var bob = names.unique("bob");
        var topic = names.unique("topic");
        try (var aliceHere = stack.connect(alice, 0);
                var aliceThere = stack.connect(alice, 1);
                var bobOnTopic = stack.subscribed(bob, 1, topic);
                var carolOnTopic = stack.subscribed(names.unique("carol"), 0, topic)) {

            queues.send("{\"users\":[\"" + alice + "\"],\"data\":{\"n\":1}}");
            assertThat(aliceHere.next().path("n").asInt()).isEqualTo(1);
            assertThat(aliceThere.next().path("n").asInt()).isEqualTo(1);

            queues.send("{\"topics\":[\"" + topic + "\"],\"data\":{\"n\":2}}");
            assertThat(bobOnTopic.next().path("n").asInt()).isEqualTo(2);
            assertThat(carolOnTopic.next().path("n").asInt()).isEqualTo(2);

            // Bob is both a named user and a subscriber: one delivery.
            queues.send("{\"users\":[\"" + bob + "\"],\"topics\":[\"" + topic + "\"],\"data\":\"three\"}");
            assertThat(bobOnTopic.next().asText()).isEqualTo("three");
            assertThat(carolOnTopic.next().asText()).isEqualTo("three");
            Await.until("the queue empty", DEADLINE, queues::pending, n -> n == 0);
            assertThat(bobOnTopic.receivesWithin(Duration.ofMillis(300))).isFalse();
            assertThat(aliceHere.receivesWithin(Duration.ofMillis(1))).isFalse();
        }
    }

    @Test
    void everyShapePublishedToSnsArrivesWhetherRawOrEnveloped(TestNames names) throws Exception {
        var queues = stack.queues(names, 5);
        stack.pusher(queues, mode());
        var user = names.unique("dana");
        var topic = names.unique("topic");
        try (var client = stack.subscribed(user, 1, topic)) {
            var sns = stack.emulators.snsClient();
            for (var topicArn : List.of(queues.rawTopicArn, queues.envelopedTopicArn)) {
                for (var request : List.of(
                        "{\"users\":[\"" + user + "\"],\"data\":{\"via\":\"users\"}}",
                        "{\"topics\":[\"" + topic + "\"],\"data\":{\"via\":\"topics\"}}",
                        "{\"data\":{\"via\":\"broadcast\"}}")) {
                    sns.publish(b -> b.topicArn(topicArn).message(request));

                    assertThat(client.next().path("via").asText())
                            .as("%s through %s", request, topicArn)
                            .isEqualTo(
                                    request.contains("users")
                                            ? "users"
                                            : request.contains("topics") ? "topics" : "broadcast");
                }
            }
        }
    }

    @Test
    void aBroadcastReachesEveryoneButTheExcludedAndUsersEmptyIsABroadcastToo(TestNames names) throws Exception {
        var queues = stack.queues(names, 5);
        stack.pusher(queues, mode());
        var excluded = names.unique("eve");
        try (var one = stack.connect(names.unique("fay"), 0);
                var two = stack.connect(names.unique("gus"), 1);
                var left = stack.connect(excluded, 1)) {

            queues.send("{\"data\":{\"all\":1},\"exclude_users\":[\"" + excluded + "\"]}");
            assertThat(one.next().path("all").asInt()).isEqualTo(1);
            assertThat(two.next().path("all").asInt()).isEqualTo(1);

            queues.send("{\"users\":[],\"data\":{\"all\":2}}");
            assertThat(one.next().path("all").asInt()).isEqualTo(2);
            assertThat(two.next().path("all").asInt()).isEqualTo(2);
            // The excluded user's first frame is the second broadcast: the first never came.
            assertThat(left.next().path("all").asInt()).isEqualTo(2);
        }
    }
}
