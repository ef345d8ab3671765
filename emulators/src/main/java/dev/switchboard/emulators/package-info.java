/**
 * Embedded AWS-compatible services (dynalite for DynamoDB, ElasticMQ for SQS, our SNS emulator) and a test JWT
 * issuer, started on loopback for tests and the local stack (dynalite as a Node.js child, the others in-process). Depends on emulator libraries only, never on the product.
 */
package dev.switchboard.emulators;
