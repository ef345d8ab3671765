package dev.switchboard.emulators.sns;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/** One published message on its way to the topic's subscribers. */
record Notification(
        String messageId,
        String topicArn,
        Optional<String> subject,
        String message,
        Map<String, MessageAttribute> attributes,
        Instant timestamp) {}
