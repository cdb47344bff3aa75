package dev.brigade.filter;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The output filters of one connection, outermost first, ending in its {@link NetworkFilter}:
 *
 * <pre>
 *   handler ─► [this response's filters, by order] ─► [protocol: gzip, chunked, http1 encoder]
 *           ─► [connection filters: rate limit, tls] ─► network ─► socket
 * </pre>
 *
 * Protocol and connection filters live as long as the connection and act per response, on the
 * {@link Bucket.Head} that starts each one. A response's own filters (registered by applications)
 * are inserted when it starts and removed once it ended and they hold nothing.
 *
 * <p>One memory budget: everything the filters hold set aside, counted by what it holds (a
 * buffer's capacity), against a high and a low water mark. Over the high mark the connection is
 * not {@link #writable()} until it falls under the low one (Netty's ChannelOutboundBuffer):
 * pipelining and filters' {@link OutputFilter#shouldYield()} consult it. Loop thread only.
 */
public final class FilterChain {

    /** Default water marks: httpd's FlushMaxThreshold of 64 KiB, and half of it. */
    public static final long HIGH_WATER_DEFAULT = 64 * 1024;
    public static final long LOW_WATER_DEFAULT = 32 * 1024;

    private static final FilterContext NO_CONNECTION = new FilterContext() {
        @Override
        public void kickAfter(Duration delay) {
            throw new IllegalStateException("this chain has no connection to schedule kicks");
        }

        @Override
        public void closeAfterResponse() {
        }
    };

    private final List<OutputFilter> filters = new ArrayList<>(4); // outermost first; network last
    private final NetworkFilter network;
    private FilterContext context = NO_CONNECTION;
    private int requestFilters; // how many of the first filters belong to responses, not to the connection
    private long highWater = HIGH_WATER_DEFAULT;
    private long lowWater = LOW_WATER_DEFAULT;
    private boolean writable = true;

    public FilterChain(NetworkFilter network) {
        this.network = network;
        link(network, 0);
    }

    /** Connects the chain to its connection, for filters that ask for timed kicks or a close. */
    public void context(FilterContext context) {
        this.context = context;
    }

    FilterContext context() {
        return context;
    }

    /** The memory budget's water marks (64 KiB and 32 KiB by default). */
    public void waterMarks(long high, long low) {
        if (low < 0 || low > high) {
            throw new IllegalArgumentException("water marks: low " + low + " must be within 0.." + high);
        }
        this.highWater = high;
        this.lowWater = low;
    }

    /** Adds a connection-level filter just above the network filter (below every protocol filter). */
    public void addConnectionFilter(OutputFilter filter) {
        if (!filter.connectionLevel()) {
            throw new IllegalArgumentException(filter + " is a request-level filter");
        }
        link(filter, filters.size() - 1);
    }

    /** Inserts a filter at the top, above every other, for as long as the connection lives. */
    public void addFirst(OutputFilter filter) {
        link(filter, requestFilters);
    }

    /**
     * Inserts a filter of the response about to start: above the connection's own, below the
     * response filters added before it (so the first added sees the data first). Removed once its
     * response ended and it holds nothing ({@link #dropDrainedRequestFilters()}).
     */
    public void addRequestFilter(OutputFilter filter) {
        link(filter, requestFilters);
        requestFilters++;
    }

    /** Whether some filter holds data that waits for the socket (not for a timer). */
    public boolean wantsWritable() {
        for (OutputFilter f = first(); f != null; f = f.next) {
            if (f.hasSetAside() && !f.waitsForTimer()) {
                return true;
            }
        }
        return false;
    }

    private void link(OutputFilter filter, int index) {
        if (filter.chain != null) {
            throw new IllegalStateException("filter " + filter + " is already in a chain");
        }
        filters.add(index, filter);
        filter.chain = this;
        relink();
    }

    /** Removes a filter; what it still holds is completed as cancelled. */
    public void remove(OutputFilter filter) {
        int i = filters.indexOf(filter);
        if (filter == network || i < 0) {
            return;
        }
        filters.remove(i);
        if (i < requestFilters) {
            requestFilters--;
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
     * Removes the response filters of finished responses once none of them holds data. Returns
     * true when none is left: then nothing of an earlier response can be overtaken by what a
     * later one sends (the connection's own filters keep order by themselves).
     */
    public boolean dropDrainedRequestFilters() {
        if (requestFilters == 0) {
            return true;
        }
        for (int i = 0; i < requestFilters; i++) {
            if (filters.get(i).hasSetAside()) {
                return false;
            }
        }
        while (requestFilters > 0) {
            remove(filters.getFirst());
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

    /**
     * The connection's output ends cleanly: each filter may pass a last brigade (TLS's
     * {@code close_notify}), then the network writes what the socket takes now.
     *
     * @return true when everything left
     */
    public boolean closeOutbound() throws IOException {
        for (OutputFilter f = first(); f != null; f = f.next) {
            f.closeOutbound();
        }
        return network.flush();
    }

    /** Lets the filters of an idle connection drop their empty set-aside storage. */
    public void trim() {
        for (OutputFilter f = first(); f != null; f = f.next) {
            f.trim();
        }
    }

    /** Whether any filter holds set-aside data. */
    public boolean pending() {
        for (OutputFilter f = first(); f != null; f = f.next) {
            if (f.hasSetAside()) {
                return true;
            }
        }
        return false;
    }

    /** Memory held set aside by all filters (buffer capacities): what the budget counts. */
    public long setAsideMemoryBytes() {
        long n = 0;
        for (OutputFilter f = first(); f != null; f = f.next) {
            n += f.setAsideMemoryBytes();
        }
        return n;
    }

    /** Memory held set aside by the filters after {@code filter}: what it waits for when it yields. */
    long heldBelow(OutputFilter filter) {
        long n = 0;
        for (OutputFilter f = filter.next; f != null; f = f.next) {
            n += f.setAsideMemoryBytes();
        }
        return n;
    }

    long highWater() {
        return highWater;
    }

    /**
     * The one writability signal: false once what is set aside reached the high water mark, true
     * again once it fell to the low one. Pipelining waits while it is false.
     */
    public boolean writable() {
        long held = setAsideMemoryBytes();
        if (writable && held >= highWater) {
            writable = false;
        } else if (!writable && held <= lowWater) {
            writable = true;
        }
        return writable;
    }

    /** Completes everything every filter holds with {@code outcome}; used on close. */
    public void discardAll(WriteOutcome outcome) {
        for (OutputFilter f = first(); f != null; f = f.next) {
            f.discard(outcome);
        }
    }

    /** The outermost filter; each links to the next, the network filter ends the chain. */
    private OutputFilter first() {
        return filters.get(0); // walking the links, not the list: no iterator on paths taken per request
    }

    public NetworkFilter network() {
        return network;
    }

    /** The filters, outermost first (for tests and the status page). */
    public List<OutputFilter> filters() {
        return List.copyOf(filters);
    }
}
