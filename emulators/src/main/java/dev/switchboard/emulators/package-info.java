/**
 * Embedded AWS-compatible services (DynamoDB Local, ElasticMQ, an SNS emulator) and a test JWT issuer, started
 * in-process on loopback for tests and the local stack. Depends on emulator libraries only, never on the product.
 */
package dev.switchboard.emulators;
