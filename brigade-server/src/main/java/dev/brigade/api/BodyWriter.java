package dev.brigade.api;

import java.nio.ByteBuffer;

/**
 * A streamed response body for handlers that must not block (inline on the loop). The writer
 * never blocks; instead {@link #write} says when the client is behind, and {@link #onWritable}
 * calls back once it caught up, so memory stays bounded however slow the client is.
 */
public interface BodyWriter {

    /**
     * Queues {@code data} (its remaining bytes; it must not be changed afterwards).
     *
     * @return true if the caller may write more now; false if it should wait for {@link #onWritable}
     */
    boolean write(ByteBuffer data);

    /** Runs {@code callback} once, on the connection's loop thread, when more may be written. */
    void onWritable(Runnable callback);

    /** Ends the body and completes the response. */
    void end();
}
