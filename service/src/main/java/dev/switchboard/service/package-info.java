/** What the runnable services share: the ready file (Readiness), signal handling (Shutdown), health (Observability). */
package dev.switchboard.service;
