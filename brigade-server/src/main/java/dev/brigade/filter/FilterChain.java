package dev.brigade.filter;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The output filters of one connection, outermost first, ending in its {@link NetworkFilter}.
 * Request-level filters (chunking, compression) are inserted when a response starts and removed
 * when it ends; a removed filter is never kicked again.
 *
 * <pre>
 *   handler ─► [request filters: chunked, gzip …] ─► [connection filters: tls] ─► network ─► socket
 * </pre>
 *
 * Loop thread only.
 */
public final class FilterChain {

    private final List<OutputFilter> filters = new ArrayList<>(4); // outermost first; network last
    private final NetworkFilter network;
    private FilterContext context = delay -> {
        throw new IllegalStateException("this chain has no connection to schedule kicks");
    };

    public FilterChain(NetworkFilter network) {
        this.network = network;
        link(network, 0);
    }

    /** Connects the chain to its connection, for filters that ask for timed kicks. */
    public void context(FilterContext context) {
        this.context = context;
    }

    FilterContext context() {
        return context;
    }

    /** Adds a connection-level filter just above the network filter (below every request filter). */
    public void addConnectionFilter(OutputFilter filter) {
        if (!filter.connectionLevel()) {
            throw new IllegalArgumentException(filter + " is a request-level filter");
        }
        link(filter, filters.size() - 1);
    }

    /**
     * Writes below the request filters, into the first connection-level filter (or the network):
     * for response heads and interim responses, which must not be compressed or chunked but must
     * go through TLS or a rate limit.
     */
    public void writeBelowRequestFilters(Brigade bb) throws IOException {
        for (OutputFilter f : filters) {
            if (f.connectionLevel() || f == network) {
                f.write(bb);
                return;
            }
        }
    }

    /** Whether some filter holds data that waits for the socket (not for a timer). */
    public boolean wantsWritable() {
        for (OutputFilter f : filters) {
            if (f.hasSetAside() && !f.waitsForTimer()) {
                return true;
            }
        }
        return false;
    }

    /** Inserts a filter at the top of the chain (it becomes the first to see response data). */
    public void addFirst(OutputFilter filter) {
        link(filter, 0);
    }

    private void link(OutputFilter filter, int index) {
        if (filter.chain != null) {
            throw new IllegalStateException("filter " + filter + " is already in a chain");
        }
        filters.add(index, filter);
        filter.chain = this;
        relink();
    }

    /** Removes a request-level filter; what it still holds is completed as cancelled. */
    public void remove(OutputFilter filter) {
        if (filter == network || !filters.remove(filter)) {
            return;
        }
        filter.chain = null;
        filter.discard(WriteOutcome.CANCELLED);
        filter.onRemoved();
        relink();
    }

    private void relink() {
        for (int i = 0; i < filters.size(); i++) {
            filters.get(i).next = i + 1 < filters.size() ? filters.get(i + 1) : null;
        }
    }

    /**
     * Removes the request-level filters of a finished response once none of them holds data, so
     * that the next response starts with a clean chain. Returns true when none is left.
     */
    public boolean dropDrainedRequestFilters() {
        for (OutputFilter f : filters) {
            if (!f.connectionLevel() && f != network && f.hasSetAside()) {
                return false;
            }
        }
        for (OutputFilter f : List.copyOf(filters)) {
            if (!f.connectionLevel()) {
                remove(f);
            }
        }
        return true;
    }

    /** Sends a brigade into the top of the chain. */
    public void write(Brigade bb) throws IOException {
        filters.getFirst().write(bb);
    }

    /**
     * One write-completion round (httpd's ap_filter_output_pending): every filter holding set-aside
     * data gets one empty brigade, outermost first, so its data moves on. A filter whose downstream
     * is still backed up sees {@link OutputFilter#shouldYield()} and keeps its data; the network
     * filter, last, writes what the socket takes. Filters removed from the chain are not in it.
     *
     * @return true when no filter holds anything any more
     */
    public boolean kick() throws IOException {
        for (int i = 0; i < filters.size(); i++) {
            OutputFilter f = filters.get(i);
            if (f.hasSetAside()) {
                f.write(new Brigade());
            }
        }
        return !pending();
    }

    /** Lets the filters of an idle connection drop their empty set-aside storage. */
    public void trim() {
        for (OutputFilter f : filters) {
            f.trim();
        }
    }

    /** Whether any filter holds set-aside data. */
    public boolean pending() {
        for (OutputFilter f : filters) {
            if (f.hasSetAside()) {
                return true;
            }
        }
        return false;
    }

    /** In-memory bytes held by all filters: the per-connection bound applies to this. */
    public long setAsideMemoryBytes() {
        long n = 0;
        for (OutputFilter f : filters) {
            n += f.setAsideMemoryBytes();
        }
        return n;
    }

    /** Completes everything every filter holds with {@code outcome}; used on close. */
    public void discardAll(WriteOutcome outcome) {
        for (OutputFilter f : filters) {
            f.discard(outcome);
        }
    }

    public NetworkFilter network() {
        return network;
    }

    /** The filters, outermost first (for tests and the status page). */
    public List<OutputFilter> filters() {
        return List.copyOf(filters);
    }
}
