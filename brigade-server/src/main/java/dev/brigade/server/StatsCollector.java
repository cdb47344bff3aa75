package dev.brigade.server;

import dev.brigade.conn.ConnState;
import dev.brigade.conn.LoopStats;
import dev.brigade.dispatch.Bridge;
import dev.brigade.dispatch.LazyBridge;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Builds {@link ServerStats} from the loops' counters, and keeps the per-second history that the
 * rates are computed from. Nothing here is on a request's path: the loops only bump their own
 * {@link LoopStats}; this class reads them when asked, and once a second (on loop 0's timer) to
 * remember totals for the rate windows.
 */
final class StatsCollector {

    /** The rate windows, in seconds; the history keeps one sample per second for the longest. */
    static final int[] WINDOWS = {1, 10, 60};
    private static final int HISTORY = 61;

    private final long startNanos = System.nanoTime();
    private final long startMillis = System.currentTimeMillis();
    private final AtomicLong sequence = new AtomicLong();
    // the history: a ring of (time, requests, bytes) samples; guarded by `this` (once a second, and per snapshot)
    private final long[] sampleNanos = new long[HISTORY];
    private final long[] sampleRequests = new long[HISTORY];
    private final long[] sampleBytes = new long[HISTORY];
    private int samples;
    private int next;

    StatsCollector() {
        sampleNanos[0] = startNanos; // the server starts at zero of everything
        samples = 1;
        next = 1;
    }

    /** Remembers the totals now, for the rate windows (about once a second). */
    synchronized void sample(List<LoopStats> loops) {
        long requests = 0;
        long bytes = 0;
        for (LoopStats s : loops) {
            requests += s.requests();
            bytes += s.bytesSent();
        }
        sampleNanos[next] = System.nanoTime();
        sampleRequests[next] = requests;
        sampleBytes[next] = bytes;
        next = (next + 1) % HISTORY;
        samples = Math.min(HISTORY, samples + 1);
    }

    /** The rate over each window: from the newest sample at least that old (or the oldest kept) to now. */
    private synchronized List<ServerStats.Rate> rates(long nowNanos, long requests, long bytes) {
        List<ServerStats.Rate> out = new ArrayList<>(WINDOWS.length);
        for (int window : WINDOWS) {
            long windowNanos = window * 1_000_000_000L;
            int chosen = -1;
            for (int k = 1; k <= samples; k++) { // newest first
                int i = Math.floorMod(next - k, HISTORY);
                chosen = i;
                if (nowNanos - sampleNanos[i] >= windowNanos) {
                    break;
                }
            }
            double seconds = Math.max(1e-3, (nowNanos - sampleNanos[chosen]) / 1e9);
            out.add(new ServerStats.Rate(window, Math.max(0, requests - sampleRequests[chosen]) / seconds,
                    Math.max(0, bytes - sampleBytes[chosen]) / seconds));
        }
        return out;
    }

    ServerStats snapshot(List<LoopStats> loops, Collection<Bridge> bridges, boolean draining, long staleCompletions) {
        List<ServerStats.Loop> perLoop = new ArrayList<>(loops.size());
        Reading total = Reading.zero();
        for (int i = 0; i < loops.size(); i++) {
            Reading r = Reading.of(loops.get(i));
            total = total.plus(r);
            perLoop.add(r.toLoop(i));
        }
        long now = System.nanoTime();
        List<ServerStats.BridgeUse> uses = new ArrayList<>();
        for (Bridge b : bridges) {
            uses.add(new ServerStats.BridgeUse(b.name(), b.stats(),
                    b instanceof LazyBridge lazy ? lazy.hostStats() : Map.of()));
        }
        return new ServerStats(sequence.incrementAndGet(), startMillis + (now - startNanos) / 1_000_000,
                (now - startNanos) / 1_000_000, draining, perLoop, total.toLoop(-1),
                rates(now, total.requests, total.bytes), uses, staleCompletions);
    }

    /** One loop's counters, read once: the per-loop view and the sum are made from the same numbers. */
    private record Reading(long[] states, long accepted, long requests, long incomplete, long bytes, long latencySum,
                           long s408, long s503, long[] classes, long[] methods, long[] latency, long[] sizes,
                           long[] timeouts) {

        static Reading of(LoopStats s) {
            return new Reading(s.connectionsByState(), s.accepted(), s.requests(), s.incomplete(), s.bytesSent(),
                    s.latencySumNanos(), s.status408(), s.status503(), s.byStatusClass(), s.byMethod(),
                    s.latencyBuckets(), s.sizeBuckets(), s.timeouts());
        }

        static Reading zero() {
            return new Reading(new long[ConnState.values().length], 0, 0, 0, 0, 0, 0, 0,
                    new long[LoopStats.STATUS_CLASSES.length], new long[LoopStats.METHODS.length],
                    new long[LoopStats.LATENCY_BOUNDS_NANOS.length + 1], new long[LoopStats.SIZE_BOUNDS_BYTES.length + 1],
                    new long[LoopStats.Timeout.values().length]);
        }

        Reading plus(Reading o) {
            return new Reading(add(states, o.states), accepted + o.accepted, requests + o.requests,
                    incomplete + o.incomplete, bytes + o.bytes, latencySum + o.latencySum, s408 + o.s408,
                    s503 + o.s503, add(classes, o.classes), add(methods, o.methods), add(latency, o.latency),
                    add(sizes, o.sizes), add(timeouts, o.timeouts));
        }

        ServerStats.Loop toLoop(int index) {
            Map<String, Long> byState = new LinkedHashMap<>();
            for (ConnState st : ConnState.values()) {
                if (st != ConnState.CLOSED) {
                    byState.put(st.name(), Math.max(0, states[st.ordinal()])); // a racy read may see a move half done
                }
            }
            Map<String, Long> byTimeout = new LinkedHashMap<>();
            for (LoopStats.Timeout t : LoopStats.Timeout.values()) {
                byTimeout.put(t.name().toLowerCase(java.util.Locale.ROOT), timeouts[t.ordinal()]);
            }
            var traffic = new ServerStats.Traffic(requests, incomplete, named(LoopStats.STATUS_CLASSES, classes),
                    named(LoopStats.METHODS, methods), bytes, s408, s503,
                    histogram(LoopStats.LATENCY_BOUNDS_NANOS, 1e9, latency, latencySum / 1e9),
                    histogram(LoopStats.SIZE_BOUNDS_BYTES, 1, sizes, bytes), byTimeout);
            return new ServerStats.Loop(index, byState, accepted, states[ConnState.CLOSED.ordinal()], traffic);
        }

        private static long[] add(long[] a, long[] b) {
            long[] r = a.clone();
            for (int i = 0; i < r.length; i++) {
                r[i] += b[i];
            }
            return r;
        }

        private static Map<String, Long> named(String[] names, long[] values) {
            Map<String, Long> m = new LinkedHashMap<>();
            for (int i = 0; i < names.length; i++) {
                m.put(names[i], values[i]);
            }
            return m;
        }

        /** @param perUnit counter units per histogram unit (1e9: nanoseconds counted, seconds shown) */
        private static ServerStats.Histogram histogram(long[] bounds, double perUnit, long[] counts, double sum) {
            List<Double> b = new ArrayList<>(bounds.length);
            for (long bound : bounds) {
                b.add(bound / perUnit);
            }
            List<Long> c = new ArrayList<>(counts.length);
            for (long n : counts) {
                c.add(n);
            }
            return new ServerStats.Histogram(b, c, sum);
        }
    }
}
