package dev.switchboard.pusher.fanout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.pusher.request.NotificationRequest;
import dev.switchboard.registry.Target;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The fan-out per connection, in memory: a directory of targets and posts that record what they were given. */
class FanOutTest {
    private static final Target ALICE_1 = new Target("a1", "n1", "http://n1", "alice");
    private static final Target ALICE_2 = new Target("a2", "n2", "http://n2", "alice");
    private static final Target BOB = new Target("b1", "n1", "http://n1", "bob");
    private static final Target CAROL = new Target("c1", "n2", "http://n2", "carol");

    private final MemoryDirectory directory = new MemoryDirectory(
            Map.of("alice", List.of(ALICE_1, ALICE_2), "bob", List.of(BOB), "carol", List.of(CAROL)),
            Map.of("room", List.of(ALICE_1, BOB)));
    private final RecordingPosts posts = new RecordingPosts();
    private final FanOut fanOut = new FanOut(directory, posts, Optional.empty());

    private static NotificationRequest request(List<String> users, List<String> topics, Set<String> excluded) {
        return new NotificationRequest(users, topics, excluded, "{\"hello\":1}");
    }

    @Test
    void aConnectionThatIsBothATargetUserAndATopicSubscriberGetsOnePost() throws Exception {
        var outcome = fanOut.fanOut(request(List.of("alice"), List.of("room"), Set.of()));

        assertThat(posts.targets()).containsExactlyInAnyOrder(ALICE_1, ALICE_2, BOB);
        assertThat(posts.data).containsExactly("{\"hello\":1}");
        assertThat(outcome).isEqualTo(new FanOut.Outcome(3, 3, 0, 0, Optional.empty()));
        assertThat(outcome.complete()).isTrue();
    }

    @Test
    void excludedUsersAreLeftOutOfABroadcast() throws Exception {
        fanOut.fanOut(request(List.of(), List.of(), Set.of("alice")));

        assertThat(posts.targets()).containsExactlyInAnyOrder(BOB, CAROL);
        assertThat(directory.everyoneAsked).containsExactly(false);
    }

    @Test
    void behindAnApiGatewayABroadcastReadsItsPseudoNodes() throws Exception {
        posts.apiGateway = true;

        fanOut.fanOut(request(List.of(), List.of(), Set.of()));

        assertThat(directory.everyoneAsked).containsExactly(true);
    }

    @Test
    void goneConnectionsAreForgottenAndAreNoFailure() throws Exception {
        posts.gone = List.of("a2");

        var outcome = fanOut.fanOut(request(List.of("alice"), List.of(), Set.of()));

        assertThat(outcome.gone()).isEqualTo(1);
        assertThat(outcome.complete()).isTrue();
        assertThat(directory.forgotten).containsExactly("a2");
    }

    @Test
    void aConnectionThatCouldNotBeForgottenDoesNotFailTheRequest() throws Exception {
        posts.gone = List.of("a2");
        directory.forgetFails = true;

        var outcome = fanOut.fanOut(request(List.of("alice"), List.of(), Set.of()));

        assertThat(outcome.complete()).isTrue();
    }

    @Test
    void aPostThatFailedLeavesTheRequestIncompleteWithItsReason() throws Exception {
        posts.failed = 1;

        var outcome = fanOut.fanOut(request(List.of("bob"), List.of(), Set.of()));

        assertThat(outcome.complete()).isFalse();
        assertThat(outcome.failure()).contains("node n1 refused");
    }

    @Test
    void manyLookupsAreEachMadeOnce() throws Exception {
        var users = new ArrayList<String>();
        for (var i = 0; i < 40; i++) {
            users.add("user-" + i);
        }

        fanOut.fanOut(request(users, List.of("room"), Set.of()));

        assertThat(directory.lookups).hasSize(41).doesNotHaveDuplicates();
    }

    /** Targets from maps, every lookup recorded. */
    private static final class MemoryDirectory implements Directory {
        final Map<String, List<Target>> users;
        final Map<String, List<Target>> topics;
        final List<String> lookups = new CopyOnWriteArrayList<>();
        final List<Boolean> everyoneAsked = new CopyOnWriteArrayList<>();
        final List<String> forgotten = new CopyOnWriteArrayList<>();
        volatile boolean forgetFails;

        MemoryDirectory(Map<String, List<Target>> users, Map<String, List<Target>> topics) {
            this.users = users;
            this.topics = topics;
        }

        @Override
        public List<Target> connectionsOf(String userId) {
            lookups.add("user:" + userId);
            return users.getOrDefault(userId, List.of());
        }

        @Override
        public List<Target> subscribersOf(String topic) {
            lookups.add("topic:" + topic);
            return topics.getOrDefault(topic, List.of());
        }

        @Override
        public Collection<List<Target>> everyone(boolean apiGateway) {
            everyoneAsked.add(apiGateway);
            return users.values();
        }

        @Override
        public void forget(String connectionId) {
            if (forgetFails) {
                throw new IllegalStateException("DynamoDB is down");
            }
            forgotten.add(connectionId);
        }
    }

    /** Posts that deliver everything but what a test marks gone or failed. */
    private static final class RecordingPosts implements Posts {
        final List<Target> given = new CopyOnWriteArrayList<>();
        final List<String> data = new CopyOnWriteArrayList<>();
        volatile boolean apiGateway;
        volatile List<String> gone = List.of();
        volatile int failed;

        List<Target> targets() {
            return List.copyOf(given);
        }

        @Override
        public boolean throughApiGateway() {
            return apiGateway;
        }

        @Override
        public Report deliver(Collection<Target> targets, String text) {
            given.addAll(targets);
            data.add(text);
            var delivered = targets.size() - gone.size() - failed;
            return new Report(delivered, gone, failed, failed > 0 ? Optional.of("node n1 refused") : Optional.empty());
        }
    }
}
