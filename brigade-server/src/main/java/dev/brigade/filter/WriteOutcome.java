package dev.brigade.filter;

/**
 * How a write ended (Squid's rule): every bucket handed to the chain ends in exactly one of these,
 * and its completion (releasing its buffer, running its callback) happens exactly once.
 */
public enum WriteOutcome {
    /** Every byte of it reached the socket. */
    COMPLETED,
    /** Withdrawn before it was written (cancelWrite); the connection stays usable. */
    CANCELLED,
    /** The connection closed or failed first; the bytes did not all leave. */
    CLOSING
}
