package dev.brigade.filter;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * A request-body input filter: transforms a body piece by piece as the handler reads it
 * (decompressing {@code Content-Encoding: gzip}, checking a digest, decrypting). It sits between
 * the HTTP/1 framing and the handler's {@code Request.read}, {@code bodyStream()} and {@code body()},
 * so they all see what it returns; it is pulled, like the body itself: it runs only when the
 * handler asks for more. Registered per route, virtual host or server with
 * {@link RequestFilters}; one instance per request. Called on the connection's loop thread.
 */
public interface BodyFilter {

    /**
     * Transforms the next piece of the body. Returns what the handler should see for it: possibly
     * empty (more input is needed first), valid until the next call. {@code piece} is valid only
     * during this call. A filter bounds what it returns (an inflater must not turn 16 KiB into a
     * gigabyte at once): the limits on collected bodies apply to what it returns.
     */
    ByteBuffer filter(ByteBuffer piece) throws IOException;

    /**
     * The body ended: the last bytes the handler should see (possibly empty). A body that ended
     * where the filter cannot end (a truncated gzip stream) is an {@link IOException}.
     */
    ByteBuffer finish() throws IOException;
}
