/** The pusher's fan-out as an AWS Lambda handler for SQS events (partial batch responses). */
package dev.switchboard.pusher.lambda;
