/**
 * An AWS Lambda REQUEST authorizer for API Gateway WebSocket {@code $connect}: the token from the query string or
 * the Authorization header, verified by the authorizer library, answered with SUMU's shape (principal, IAM policy,
 * context). Depends on the authorizer library and the Lambda runtime interface only.
 */
package dev.switchboard.authorizer.lambda;
