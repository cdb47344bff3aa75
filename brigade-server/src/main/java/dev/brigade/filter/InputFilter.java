package dev.brigade.filter;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * A connection-level input filter, the mirror of an {@link OutputFilter} (httpd's connection input
 * filters, Netty's inbound handlers): it reads from the filter below it, ending in the network, and
 * hands the layer above the bytes it should see. TLS decrypts here; a PROXY-protocol preamble is
 * stripped here. The HTTP/1 framing above it stays a pure parser over what it returns.
 *
 * <p>Reads are pulled by the connection, on its loop thread, only while someone wants input (a
 * head being read, a body the handler asked for), so a filter never has to buffer for a reader that
 * is not there. A read never blocks.
 */
public abstract class InputFilter {

    private final String name;
    InputFilter next; // towards the network
    InputChain chain;

    protected InputFilter(String name) {
        this.name = name;
    }

    /**
     * Reads what is available now into {@code dst} (from its position, up to its limit): the bytes
     * the layer above should see. Returns how many it put there, 0 when nothing is available without
     * waiting for the socket, or -1 at the end of the stream.
     */
    public abstract int read(ByteBuffer dst) throws IOException;

    /** Reads from the filter below (in the end, the socket). */
    protected final int readNext(ByteBuffer dst) throws IOException {
        return next.read(dst);
    }

    /**
     * Whether this filter holds input it already took from below that a {@link #read} would return
     * without the socket becoming readable (decrypted records not yet handed up): the connection
     * then reads again without waiting for readability.
     */
    public boolean hasBuffered() {
        return false;
    }

    /** The connection went idle between requests: a filter may return buffers it holds empty. */
    protected void onIdle() {
    }

    /** The connection this filter's chain serves. */
    protected final FilterContext context() {
        return chain.context();
    }

    /** The connection is closing: release what this filter holds. */
    protected void onClose() {
    }

    public String name() {
        return name;
    }

    @Override
    public String toString() {
        return name;
    }
}
