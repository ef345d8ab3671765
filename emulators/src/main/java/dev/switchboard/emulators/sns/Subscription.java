package dev.switchboard.emulators.sns;

/** An sqs subscription of a topic; the queue is named by its ARN, as AWS does. */
record Subscription(String arn, String topicArn, String protocol, String endpoint, boolean rawMessageDelivery) {
    Subscription withRawMessageDelivery(boolean raw) {
        return new Subscription(arn, topicArn, protocol, endpoint, raw);
    }
}
