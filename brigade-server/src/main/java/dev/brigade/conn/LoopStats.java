package dev.brigade.conn;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The counters of one loop: connections per state, and what its transactions and timeouts did.
 *
 * <p>Why not atomics: every counter here is written by the loop thread alone, so a write is a
 * plain read plus an opaque store (no lock prefix, no contended cache line between loops), and
 * there is no allocation. Other threads read with opaque loads: each value is whole (no torn
 * long) and recent, but values read one after the other are not one instant's (a connection
 * moving between states may show in neither, or a request in the count before its bytes). A
 * snapshot aggregates the loops at read time ({@code Server.stats()}).
 */
public final class LoopStats {

    private static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);

    /** Upper bounds of the latency histogram's buckets, in nanoseconds (plus one bucket beyond the last). */
    public static final long[] LATENCY_BOUNDS_NANOS = {
        500_000L, 1_000_000L, 2_500_000L, 5_000_000L, 10_000_000L, 25_000_000L, 50_000_000L, 100_000_000L,
        250_000_000L, 500_000_000L, 1_000_000_000L, 2_500_000_000L, 5_000_000_000L, 10_000_000_000L};

    /** Upper bounds of the response-size histogram's buckets, in bytes (plus one bucket beyond the last). */
    public static final long[] SIZE_BOUNDS_BYTES = {
        128L, 512L, 1024L, 4096L, 16_384L, 65_536L, 262_144L, 1_048_576L, 4_194_304L, 16_777_216L, 67_108_864L};

    /** Methods counted by name; any other (and "-", a request rejected before its method was known) is "OTHER". */
    public static final String[] METHODS = {"GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "OTHER"};

    /** Status classes: index 0 is a transaction that ended before any response head left. */
    public static final String[] STATUS_CLASSES = {"none", "1xx", "2xx", "3xx", "4xx", "5xx"};

    /** What timed out (DESIGN.md: every state has one timeout). */
    public enum Timeout {
        /** a request head too slow: 408; or a connection that never sent a byte, closed */
        HEADER,
        /** a request body (or an unread body being discarded) too slow: 408, or a close */
        BODY,
        /** no write progress in write completion: close */
        WRITE,
        /** idle between requests: close */
        KEEPALIVE,
        /** a closing connection's lingering read ran out: close */
        LINGER,
        /** a suspended exchange's deadline: 503 unless the handler answered */
        SUSPEND
    }

    // counters, indexes into `totals`
    private static final int REQUESTS = 0;
    private static final int BYTES_SENT = 1;
    private static final int LATENCY_SUM_NANOS = 2;
    private static final int STATUS_408 = 3;
    private static final int STATUS_503 = 4;
    private static final int INCOMPLETE = 5;

    private final long[] states = new long[ConnState.values().length]; // now; CLOSED: closed since start
    private final long[] totals = new long[6];
    private final long[] statusClasses = new long[STATUS_CLASSES.length];
    private final long[] methods = new long[METHODS.length];
    private final long[] latency = new long[LATENCY_BOUNDS_NANOS.length + 1];
    private final long[] sizes = new long[SIZE_BOUNDS_BYTES.length + 1];
    private final long[] timeouts = new long[Timeout.values().length];
    private final long[] accepted = new long[1];

    // ---- writes: the loop thread only ---------------------------------------------------------

    private static void add(long[] a, int i, long n) {
        LONGS.setOpaque(a, i, a[i] + n); // the only writer: a plain read of its own last write is exact
    }

    /** A connection changed state ({@code from} null: it was just accepted). */
    void moved(ConnState from, ConnState to) {
        if (from == null) {
            add(accepted, 0, 1);
        } else {
            add(states, from.ordinal(), -1);
        }
        add(states, to.ordinal(), 1);
    }

    /** A transaction ended: its response left whole, or its connection ended first. */
    void transactionDone(String method, int status, long bytesSent, long durationNanos, boolean completed) {
        add(totals, REQUESTS, 1);
        add(totals, BYTES_SENT, bytesSent);
        add(totals, LATENCY_SUM_NANOS, durationNanos);
        if (!completed) {
            add(totals, INCOMPLETE, 1);
        }
        if (status == 408) {
            add(totals, STATUS_408, 1);
        } else if (status == 503) {
            add(totals, STATUS_503, 1);
        }
        add(statusClasses, status >= 100 && status < 600 ? status / 100 : 0, 1);
        add(methods, methodIndex(method), 1);
        add(latency, bucket(LATENCY_BOUNDS_NANOS, durationNanos), 1);
        add(sizes, bucket(SIZE_BOUNDS_BYTES, bytesSent), 1);
    }

    void timedOut(Timeout kind) {
        add(timeouts, kind.ordinal(), 1);
    }

    private static int methodIndex(String method) {
        return switch (method) {
            case "GET" -> 0;
            case "HEAD" -> 1;
            case "POST" -> 2;
            case "PUT" -> 3;
            case "DELETE" -> 4;
            case "PATCH" -> 5;
            case "OPTIONS" -> 6;
            default -> 7;
        };
    }

    private static int bucket(long[] bounds, long value) {
        int i = 0;
        while (i < bounds.length && value > bounds[i]) {
            i++;
        }
        return i;
    }

    // ---- reads: any thread ------------------------------------------------------------------

    private static long[] read(long[] a) {
        long[] copy = new long[a.length];
        for (int i = 0; i < a.length; i++) {
            copy[i] = (long) LONGS.getOpaque(a, i);
        }
        return copy;
    }

    private static long read(long[] a, int i) {
        return (long) LONGS.getOpaque(a, i);
    }

    /** Connections in each state now, indexed by {@link ConnState#ordinal()}; CLOSED holds those closed since start. */
    public long[] connectionsByState() {
        return read(states);
    }

    public long accepted() {
        return read(accepted, 0);
    }

    public long requests() {
        return read(totals, REQUESTS);
    }

    /** Response bytes written to sockets (heads included), counted when each transaction ends. */
    public long bytesSent() {
        return read(totals, BYTES_SENT);
    }

    public long latencySumNanos() {
        return read(totals, LATENCY_SUM_NANOS);
    }

    /** Transactions whose connection ended before the whole response left. */
    public long incomplete() {
        return read(totals, INCOMPLETE);
    }

    public long status408() {
        return read(totals, STATUS_408);
    }

    public long status503() {
        return read(totals, STATUS_503);
    }

    /** Per {@link #STATUS_CLASSES}. */
    public long[] byStatusClass() {
        return read(statusClasses);
    }

    /** Per {@link #METHODS}. */
    public long[] byMethod() {
        return read(methods);
    }

    /** Per bucket of {@link #LATENCY_BOUNDS_NANOS} (not cumulative), the last beyond the last bound. */
    public long[] latencyBuckets() {
        return read(latency);
    }

    /** Per bucket of {@link #SIZE_BOUNDS_BYTES} (not cumulative), the last beyond the last bound. */
    public long[] sizeBuckets() {
        return read(sizes);
    }

    /** Per {@link Timeout#ordinal()}. */
    public long[] timeouts() {
        return read(timeouts);
    }
}
