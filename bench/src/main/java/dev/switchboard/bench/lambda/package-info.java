/** How long a Lambda handler of ours takes to be made in a fresh JVM, from its deployment zip. */
package dev.switchboard.bench.lambda;
