/**
 * The registry: who is connected, where, as whom, to which topics, which nodes are alive, and who is online, in one
 * DynamoDB table. The only code that knows the table layout (docs/registry.md). Depends on the AWS SDK only.
 */
package dev.switchboard.registry;
