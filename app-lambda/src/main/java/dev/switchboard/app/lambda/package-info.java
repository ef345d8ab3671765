/**
 * The gateway behind a real API Gateway WebSocket API, as one AWS Lambda handler for every route ({@code $connect},
 * {@code $disconnect}, SUMU's {@code ping}, {@code send}, {@code publish}, and {@code $default} for y-webrtc's
 * frames): the gateway's frame parser, topic rules and outputs, the registry (connections under {@link
 * dev.switchboard.registry.ApiGatewayNodes}), and the pusher's delivery through the Management API. Depends on the
 * gateway, pusher and registry libraries and the Lambda runtime interface only.
 */
package dev.switchboard.app.lambda;
