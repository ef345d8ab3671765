/**
 * Topics across nodes: a publish reaches the subscribers on this node through the hub and those on other nodes
 * through their Management API, knowing which nodes hold subscribers from the registry, cached briefly.
 */
package dev.switchboard.app.topics;
