package dev.brigade.api;

import java.nio.ByteBuffer;

/**
 * Receives one answer to {@link Request#read}: the next piece of a request body, its end, or why
 * it cannot be read. Exactly one method is called per {@code read}, once, on the connection's loop
 * thread: it must not block (hand the work to another thread if it must).
 */
public interface BodyListener {

    /**
     * The next piece of the body, never empty: a read-only view of the connection's read buffer,
     * not a copy. It stays valid until the next {@link Request#read} (which releases it) or the end
     * of the response, whichever comes first; copy what must outlive that.
     */
    void onChunk(ByteBuffer chunk);

    /** The body ended: every piece was delivered (trailer fields, if any, are not exposed). */
    void onEnd();

    /**
     * The body cannot be read: it is malformed (400), over a limit (413), too slow (408), or the
     * connection closed. The server has already answered the status if the handler had not.
     */
    void onError(Throwable failure);
}
