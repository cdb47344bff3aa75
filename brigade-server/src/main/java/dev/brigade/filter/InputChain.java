package dev.brigade.filter;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The input filters of one connection, from the one the HTTP/1 framing reads first down to its
 * {@link NetworkInput}:
 *
 * <pre>
 *   socket ─► network ─► [connection input filters: tls, proxy protocol …] ─► http1 framing
 * </pre>
 *
 * Loop thread only.
 */
public final class InputChain {

    private final List<InputFilter> filters = new ArrayList<>(2); // top first; network last
    private final NetworkInput network;

    public InputChain(NetworkInput network) {
        this.network = network;
        filters.add(network);
    }

    /** Adds a filter at the top: it sees what the filters added before it return. */
    public void addFirst(InputFilter filter) {
        if (filter.next != null || filters.contains(filter)) {
            throw new IllegalStateException("input filter " + filter + " is already in a chain");
        }
        filter.next = filters.getFirst();
        filters.addFirst(filter);
    }

    /** Reads into {@code dst} through every filter; see {@link InputFilter#read}. */
    public int read(ByteBuffer dst) throws IOException {
        return filters.getFirst().read(dst);
    }

    /** Whether some filter can return input without the socket becoming readable. */
    public boolean hasBuffered() {
        for (InputFilter f : filters) {
            if (f.hasBuffered()) {
                return true;
            }
        }
        return false;
    }

    /** The connection is closing: every filter releases what it holds. */
    public void close() {
        for (InputFilter f : filters) {
            f.onClose();
        }
    }

    public NetworkInput network() {
        return network;
    }
}
