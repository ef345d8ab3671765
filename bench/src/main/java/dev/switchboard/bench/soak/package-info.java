/** The soak: connections held for minutes with churn, publishes and notifications; memory per minute, nothing lost. */
package dev.switchboard.bench.soak;
