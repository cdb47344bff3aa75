package dev.brigade.dispatch;

import dev.brigade.api.Handler;

import java.time.Duration;

/** Factory for the bridges a server can use; see each class for its lifecycle and guarantees. */
public final class Bridges {

    /** Rivet's worker bridge queue size: the default lazy per-host backlog. */
    public static final int DEFAULT_LAZY_BACKLOG = 100;
    /** Default bridge-wide thread cap of a lazy bridge (host names come from clients). */
    public static final int DEFAULT_LAZY_MAX_THREADS = 1024;

    private Bridges() {
    }

    /**
     * {@code handler} on its own bridge, for one route: e.g. a blocking route on virtual threads
     * while the host's other routes run inline ({@code .get("/report", Bridges.on(vt, handler))}).
     * The bridge is started and stopped with the server; one bridge may serve several routes.
     */
    public static Handler on(Bridge bridge, Handler handler) {
        return new BridgedHandler(bridge, handler);
    }

    /**
     * Inline, with a debug aid: a handler still running after {@code reportBlockedAfter} is logged
     * with its request and the loop thread's stack (inline handlers must not block).
     */
    public static Bridge inline(Duration reportBlockedAfter) {
        return new InlineBridge(reportBlockedAfter);
    }

    /** Handlers run on the loop thread and must not block. */
    public static Bridge inline() {
        return new InlineBridge();
    }

    /**
     * A fixed pool of {@code threads} platform threads with a backlog of {@code backlog} waiting jobs;
     * beyond it, 503 with Retry-After at once. Handlers may block.
     */
    public static PoolBridge pool(int threads, int backlog) {
        return new PoolBridge(threads, backlog);
    }

    /** One virtual thread per exchange, unlimited. Handlers may block. */
    public static VirtualThreadBridge virtualThreads() {
        return new VirtualThreadBridge(0);
    }

    /** One virtual thread per exchange, at most {@code maxConcurrent} at once; beyond, 503 at once. */
    public static VirtualThreadBridge virtualThreads(int maxConcurrent) {
        if (maxConcurrent < 1) {
            throw new IllegalArgumentException("maxConcurrent must be at least 1: " + maxConcurrent);
        }
        return new VirtualThreadBridge(maxConcurrent);
    }

    /**
     * Per virtual host, at most {@code perHostMax} platform threads created on demand and reaped after
     * {@code idleTimeout} idle, with a backlog of {@link #DEFAULT_LAZY_BACKLOG} jobs per host.
     */
    public static LazyBridge lazy(int perHostMax, Duration idleTimeout) {
        return lazy(perHostMax, idleTimeout, DEFAULT_LAZY_BACKLOG);
    }

    /** As {@link #lazy(int, Duration)}, with {@code perHostBacklog} jobs queued per host before 503. */
    public static LazyBridge lazy(int perHostMax, Duration idleTimeout, int perHostBacklog) {
        return lazy(perHostMax, idleTimeout, perHostBacklog, DEFAULT_LAZY_MAX_THREADS);
    }

    /** As {@link #lazy(int, Duration, int)}, with at most {@code maxThreads} threads over all hosts. */
    public static LazyBridge lazy(int perHostMax, Duration idleTimeout, int perHostBacklog, int maxThreads) {
        return new LazyBridge(perHostMax, idleTimeout, perHostBacklog, maxThreads);
    }
}
