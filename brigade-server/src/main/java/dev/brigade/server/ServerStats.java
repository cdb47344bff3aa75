package dev.brigade.server;

import dev.brigade.dispatch.BridgeStats;
import java.util.List;
import java.util.Map;

/**
 * What a server is doing, at one moment: connections per state and traffic counters per loop and
 * summed, request and byte rates over recent windows, and its bridges' occupancy. Taken by
 * {@link Server#stats()}, for status pages and metrics exporters; immutable.
 *
 * <p>Each loop's counters are read without stopping it: within one loop, numbers read one after
 * the other may be a few events apart (a request counted, its bytes not yet). {@link #total()} is
 * the sum of {@link #loops()} as read, so the two always agree.
 *
 * @param sequence     this snapshot's number, increasing from 1 per server: two views rendered from
 *                     one snapshot show the same number
 * @param takenAtMillis when it was taken (epoch milliseconds)
 * @param uptimeMillis since {@link Server#start()}
 * @param draining     whether a graceful stop has begun (no new connections; readiness should be false)
 * @param loops        per event loop, in index order
 * @param total        the loops summed
 * @param rates        requests and bytes per second over the last 1, 10 and 60 seconds
 * @param bridges      every bridge the server runs handlers on
 * @param staleCompletions completions dropped because their connection had closed first
 */
public record ServerStats(
        long sequence,
        long takenAtMillis,
        long uptimeMillis,
        boolean draining,
        List<Loop> loops,
        Loop total,
        List<Rate> rates,
        List<BridgeUse> bridges,
        long staleCompletions) {

    public ServerStats {
        loops = List.copyOf(loops);
        rates = List.copyOf(rates);
        bridges = List.copyOf(bridges);
    }

    /**
     * One event loop (or the sum of all, with index -1).
     *
     * @param connections connections in each state now, by state name in state-machine order
     *                    ({@code READ_REQUEST_LINE}, {@code READ_BODY}, {@code DISCARD_BODY},
     *                    {@code HANDLER}, {@code WRITE_COMPLETION}, {@code SUSPENDED},
     *                    {@code KEEPALIVE}, {@code LINGER}); closed ones are in {@code closed}
     * @param accepted    connections accepted since start
     * @param closed      connections closed since start
     */
    public record Loop(int index, Map<String, Long> connections, long accepted, long closed, Traffic traffic) {
        public Loop {
            connections = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(connections));
        }

        /** Connections open now, over all states. */
        public long open() {
            return connections.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    /**
     * What the transactions ended so far did (a transaction ends when its response's last byte
     * left, or its connection closed first), and the timeouts that fired.
     *
     * @param requests     transactions ended
     * @param incomplete   of which the connection ended before the whole response left
     * @param byStatusClass by {@code 1xx}…{@code 5xx}, and {@code none} when no response head left
     * @param byMethod     by {@code GET}, {@code HEAD}, {@code POST}, {@code PUT}, {@code DELETE},
     *                     {@code PATCH}, {@code OPTIONS}, {@code OTHER}
     * @param bytesSent    response bytes written (heads included)
     * @param status408    requests answered 408 (a head or body too slow)
     * @param status503    requests answered 503 (shed by a bridge, a suspend deadline, a drain)
     * @param latencySeconds from a request's head to its response's last byte
     * @param responseBytes response sizes on the wire
     * @param timeouts     timeouts fired, by kind: {@code header}, {@code body}, {@code write},
     *                     {@code keepalive}, {@code linger}, {@code suspend}
     */
    public record Traffic(long requests, long incomplete, Map<String, Long> byStatusClass, Map<String, Long> byMethod,
                          long bytesSent, long status408, long status503, Histogram latencySeconds,
                          Histogram responseBytes, Map<String, Long> timeouts) {
        public Traffic {
            byStatusClass = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(byStatusClass));
            byMethod = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(byMethod));
            timeouts = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(timeouts));
        }
    }

    /**
     * A histogram with fixed buckets.
     *
     * @param upperBounds each bucket's inclusive upper bound, ascending; one more bucket holds the rest
     * @param counts      per bucket (not cumulative): {@code upperBounds.size() + 1} of them
     * @param sum         the sum of the observed values
     */
    public record Histogram(List<Double> upperBounds, List<Long> counts, double sum) {
        public Histogram {
            upperBounds = List.copyOf(upperBounds);
            counts = List.copyOf(counts);
            if (counts.size() != upperBounds.size() + 1) {
                throw new IllegalArgumentException("a histogram needs one count per bound, plus one");
            }
        }

        /** Observations, over all buckets. */
        public long count() {
            return counts.stream().mapToLong(Long::longValue).sum();
        }
    }

    /**
     * Throughput over the last {@code windowSeconds} (or since start, if the server is younger).
     */
    public record Rate(int windowSeconds, double requestsPerSecond, double bytesPerSecond) {
    }

    /**
     * A bridge and its occupancy.
     *
     * @param name    the bridge's name, e.g. {@code pool(8,100)}
     * @param stats   its threads, busy, idle, queued, rejected (503), completed
     * @param perHost per virtual host, for a lazy bridge (empty for the others)
     */
    public record BridgeUse(String name, BridgeStats stats, Map<String, BridgeStats> perHost) {
        public BridgeUse {
            perHost = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(perHost));
        }
    }
}
