/**
 * The smallest faithful SNS: the Query protocol the AWS SDK speaks, topics and sqs subscriptions in memory, and
 * delivery into ElasticMQ queues, raw or in AWS's notification envelope. Knows nothing of Switchboard.
 */
package dev.switchboard.emulators.sns;
