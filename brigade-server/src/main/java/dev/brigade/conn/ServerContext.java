package dev.brigade.conn;

import dev.brigade.api.Transaction;
import dev.brigade.dispatch.Bridge;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * What every connection of one server shares: configuration, the application, the bridge, the
 * transaction hook and the counters. The application, its bridge, the transaction hook, compression
 * and bandwidth may be replaced by a reload ({@link #reconfigure}); the connection settings may not.
 */
public final class ServerContext {

    private final ConnectionConfig config;
    // swapped whole by a reload; a request reads them once, so it finishes under what it started with
    private volatile Application application;
    private volatile Bridge bridge;
    private volatile Consumer<Transaction> transactionDone;
    private final AtomicLong connectionIds = new AtomicLong();
    private final AtomicLong connectionsOpen = new AtomicLong();
    private final AtomicLong requestsServed = new AtomicLong();
    private final AtomicLong staleCompletions = new AtomicLong();
    private volatile boolean draining;
    private volatile Compression compression = Compression.OFF;
    private volatile long bandwidthLimit;
    private volatile java.util.List<java.util.function.Supplier<? extends dev.brigade.filter.InputFilter>> inputFilters =
            java.util.List.of();

    /** @param transactionDone the hook reporting each transaction, or null for none */
    public ServerContext(ConnectionConfig config, Application application, Bridge bridge,
                         Consumer<Transaction> transactionDone) {
        this.config = config;
        this.application = application;
        this.bridge = bridge;
        this.transactionDone = transactionDone;
    }

    /**
     * Replaces what a reload may change. Requests already routed keep the site (and bridge) they were
     * given; new requests see the new application.
     */
    public void reconfigure(Application application, Bridge bridge, Consumer<Transaction> transactionDone) {
        this.application = application;
        this.bridge = bridge;
        this.transactionDone = transactionDone;
    }

    public ConnectionConfig config() {
        return config;
    }

    Application application() {
        return application;
    }

    public Bridge bridge() {
        return bridge;
    }

    void transactionDone(Transaction t) {
        Consumer<Transaction> hook = transactionDone;
        if (hook != null) {
            hook.accept(t);
        }
    }

    /** Whether anyone listens for transactions (access logs); if not, none are built. */
    boolean reportsTransactions() {
        return transactionDone != null;
    }

    long nextConnectionId() {
        return connectionIds.incrementAndGet();
    }

    /** Turns on-the-fly gzip on (level 1–9) for compressible bodies of at least {@code minBytes}, or off (level 0). */
    public void compression(int level, long minBytes) {
        if (level < 0 || level > 9) {
            throw new IllegalArgumentException("compression level must be 0 (off) to 9: " + level);
        }
        compression = new Compression(level, minBytes);
    }

    Compression compression() {
        return compression;
    }

    /**
     * On-the-fly compression settings of a server.
     *
     * @param level deflate level 1–9, or 0 for off
     * @param minBytes bodies of known length below this are sent as they are
     */
    record Compression(int level, long minBytes) {
        static final Compression OFF = new Compression(0, 0);

        boolean enabled() {
            return level > 0;
        }
    }

    /** Factories of the input filters every new connection gets, the first added nearest the network. */
    public void connectionInputFilters(
            java.util.List<java.util.function.Supplier<? extends dev.brigade.filter.InputFilter>> factories) {
        this.inputFilters = java.util.List.copyOf(factories);
    }

    java.util.List<java.util.function.Supplier<? extends dev.brigade.filter.InputFilter>> connectionInputFilters() {
        return inputFilters;
    }

    /** Limits each new connection's output to {@code bytesPerSecond} (0: no limit). */
    public void bandwidthLimit(long bytesPerSecond) {
        this.bandwidthLimit = bytesPerSecond;
    }

    long bandwidthLimit() {
        return bandwidthLimit;
    }

    /** Starts a graceful stop: every connection closes after its current response. */
    public void startDraining() {
        draining = true;
    }

    public boolean draining() {
        return draining;
    }

    public long connectionsOpen() {
        return connectionsOpen.get();
    }

    AtomicLong connectionsOpenCounter() {
        return connectionsOpen;
    }

    public long requestsServed() {
        return requestsServed.get();
    }

    void countRequest() {
        requestsServed.incrementAndGet();
    }

    /** Completions that arrived for a connection that had closed meanwhile, and were dropped. */
    public long staleCompletions() {
        return staleCompletions.get();
    }

    void countStaleCompletion() {
        staleCompletions.incrementAndGet();
    }
}
