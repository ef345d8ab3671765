/** Fan-out: targets resolved in the registry, posts through the API Gateway Management API. */
package dev.switchboard.pusher.fanout;
