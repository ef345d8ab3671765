/** What a client connection may do, and how often: the operator's topic rules and the rate limits. */
package dev.switchboard.app.access;
