package dev.switchboard.authorizer;

/**
 * What {@link TokenVerifier#verify} made of a token: whom it speaks for, or why it was refused. A refused token is an
 * expected outcome, not a failure, so it is a result read with an exhaustive {@code switch}, never an exception.
 */
public sealed interface Verification {
    /** The token is valid and speaks for {@code principal}. */
    record Verified(Principal principal) implements Verification {}

    /**
     * The token was refused.
     *
     * @param reason why, as a label to log and count
     * @param detail why, in words for the log (the claim or key at fault; never the token)
     */
    record Refused(Reason reason, String detail) implements Verification {}
}
