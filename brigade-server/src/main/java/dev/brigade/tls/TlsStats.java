package dev.brigade.tls;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Counters of a TLS port, for the status page and metrics: handshakes by protocol, failures, reloads. */
public final class TlsStats {

    private final Map<String, LongAdder> handshakesByProtocol = new ConcurrentHashMap<>();
    private final LongAdder failures = new LongAdder();
    private final LongAdder plainHttp = new LongAdder();
    private final LongAdder renegotiationsRefused = new LongAdder();
    private final LongAdder reloads = new LongAdder();
    private final LongAdder reloadFailures = new LongAdder();

    void handshake(String protocol) {
        handshakesByProtocol.computeIfAbsent(protocol, p -> new LongAdder()).increment();
    }

    void failure() {
        failures.increment();
    }

    void plainHttp() {
        plainHttp.increment();
    }

    void renegotiationRefused() {
        renegotiationsRefused.increment();
    }

    void reload(boolean ok) {
        (ok ? reloads : reloadFailures).increment();
    }

    /** Completed handshakes. */
    public long handshakes() {
        return handshakesByProtocol.values().stream().mapToLong(LongAdder::sum).sum();
    }

    /** Completed handshakes by negotiated protocol version ("TLSv1.3", "TLSv1.2"). */
    public Map<String, Long> handshakesByProtocol() {
        Map<String, Long> out = new TreeMap<>();
        handshakesByProtocol.forEach((p, n) -> out.put(p, n.sum()));
        return out;
    }

    /** Handshakes that failed (bad or truncated ClientHello, no common protocol, an alert). */
    public long failures() {
        return failures.sum();
    }

    /** Plain HTTP requests that reached the TLS port (answered 400). */
    public long plainHttpRequests() {
        return plainHttp.sum();
    }

    public long renegotiationsRefused() {
        return renegotiationsRefused.sum();
    }

    /** Certificate reloads that took effect. */
    public long reloads() {
        return reloads.sum();
    }

    /** Certificate reloads refused (a bad new file; the old certificate stayed). */
    public long reloadFailures() {
        return reloadFailures.sum();
    }
}
