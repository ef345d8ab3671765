/** Notification requests: their shapes, and reading them from queue messages (raw or SNS-enveloped). */
package dev.switchboard.pusher.request;
