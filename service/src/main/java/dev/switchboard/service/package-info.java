/** What the runnable services share: validated settings from Helidon config, and signal handling. */
package dev.switchboard.service;
