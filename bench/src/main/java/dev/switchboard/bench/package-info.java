/**
 * Benchmarks. Each measures ours beside a reference in the same run and reports the ratio, because absolute
 * figures drift on shared machines. Depends on everything; nothing depends on it.
 */
package dev.switchboard.bench;
