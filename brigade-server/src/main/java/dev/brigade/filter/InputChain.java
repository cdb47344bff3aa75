package dev.brigade.filter;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * The input filters of one connection, from the one the HTTP/1 framing reads first down to its
 * {@link NetworkInput}:
 *
 * <pre>
 *   socket ─► network ─► [connection input filters: tls, proxy protocol …] ─► http1 framing
 * </pre>
 *
 * Linked through the filters themselves (no list: most connections have the network alone). Loop
 * thread only.
 */
public final class InputChain {

    private final NetworkInput network;
    private InputFilter top;
    private FilterContext context;

    public InputChain(NetworkInput network) {
        this.network = network;
        this.top = network;
        network.chain = this;
    }

    /** Connects the chain to its connection, for filters that resume input from elsewhere. */
    public void context(FilterContext context) {
        this.context = context;
    }

    FilterContext context() {
        if (context == null) {
            throw new IllegalStateException("this input chain has no connection");
        }
        return context;
    }

    /** Adds a filter at the top: it sees what the filters added before it return. */
    public void addFirst(InputFilter filter) {
        if (filter.next != null || filter == network) {
            throw new IllegalStateException("input filter " + filter + " is already in a chain");
        }
        filter.next = top;
        filter.chain = this;
        top = filter;
    }

    /** Reads into {@code dst} through every filter; see {@link InputFilter#read}. */
    public int read(ByteBuffer dst) throws IOException {
        return top.read(dst);
    }

    /** Whether some filter can return input without the socket becoming readable. */
    public boolean hasBuffered() {
        for (InputFilter f = top; f != network; f = f.next) {
            if (f.hasBuffered()) {
                return true;
            }
        }
        return false;
    }

    /** The connection went idle: filters may return empty buffers. */
    public void idle() {
        for (InputFilter f = top; f != network; f = f.next) {
            f.onIdle();
        }
    }

    /** The connection is closing: every filter releases what it holds. */
    public void close() {
        for (InputFilter f = top; f != null; f = f.next) {
            f.onClose();
        }
    }

    public NetworkInput network() {
        return network;
    }
}
