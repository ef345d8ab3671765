/**
 * The internal socket: the API Gateway Management API ({@code /@connections/{id}}), health and metrics. Never
 * routed on the public socket.
 */
package dev.switchboard.app.management;
