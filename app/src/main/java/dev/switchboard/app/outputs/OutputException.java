package dev.switchboard.app.outputs;

import dev.switchboard.app.protocol.ErrorCode;

/**
 * An output refused a message, or none is configured for the action: the client is told which ({@link #code}),
 * nothing is lost silently. Unchecked, as every failure of ours; sealed, so each kind carries its own code instead
 * of a flag a caller must read.
 */
public abstract sealed class OutputException extends RuntimeException
        permits OutputException.Refused, OutputException.NotConfigured {
    private static final long serialVersionUID = 1L;

    private OutputException(String message, Throwable cause) {
        super(message, cause);
    }

    /** What the client is told. */
    public abstract ErrorCode code();

    /** The queue or topic refused the message (an AWS error): {@code output_failed}. */
    public static final class Refused extends OutputException {
        private static final long serialVersionUID = 1L;

        public Refused(String message, Throwable cause) {
            super(message, cause);
        }

        @Override
        public ErrorCode code() {
            return ErrorCode.OUTPUT_FAILED;
        }
    }

    /** No queue or topic is configured for the action: {@code output_not_configured}. */
    public static final class NotConfigured extends OutputException {
        private static final long serialVersionUID = 1L;

        public NotConfigured(String message) {
            super(message, null);
        }

        @Override
        public ErrorCode code() {
            return ErrorCode.OUTPUT_NOT_CONFIGURED;
        }
    }
}
