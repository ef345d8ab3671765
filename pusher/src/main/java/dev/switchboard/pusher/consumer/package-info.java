/** The notifications queue's consumer: long polls, visibility, batched deletes, dead-lettering, shutdown. */
package dev.switchboard.pusher.consumer;
