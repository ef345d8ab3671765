package dev.switchboard.pusher.request;

import java.util.List;
import java.util.Set;

/**
 * A notification request: whom to reach and the {@code data} they get (already serialized as JSON, the frame's
 * text). No users and no topics is a broadcast (SUMU's rule: {@code {"data":…}} or {@code "users":[]}).
 *
 * @param excludeUsers users left out, whatever the shape (SUMU allows it with a broadcast; there is no cap)
 */
public record NotificationRequest(List<String> users, List<String> topics, Set<String> excludeUsers, String data) {
    public NotificationRequest {
        users = List.copyOf(users);
        topics = List.copyOf(topics);
        excludeUsers = Set.copyOf(excludeUsers);
    }

    public boolean broadcast() {
        return users.isEmpty() && topics.isEmpty();
    }
}
