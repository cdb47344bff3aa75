package dev.brigade.cli;

import dev.brigade.api.Request;
import dev.brigade.api.Response;
import dev.brigade.dispatch.BridgeStats;
import dev.brigade.dispatch.Bridges;
import dev.brigade.files.MemoryCache;
import dev.brigade.server.Server;
import dev.brigade.server.ServerStats;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * {@code /metrics} in the Prometheus text format, written by the official client's exposition
 * writer. The numbers are already counted by the server's loops ({@link Server#stats()}): a
 * collector turns one snapshot into the client's metric model at scrape time, so nothing is
 * counted twice and a request costs the exporter nothing. Reachable from an {@link AllowList}.
 */
final class MetricsEndpoint implements MultiCollector {

    private final Supplier<Server> server;
    private final Supplier<MemoryCache.Stats> cache;
    private final LongSupplier configGeneration;
    private final AllowList allow;
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();

    MetricsEndpoint(Supplier<Server> server, Supplier<MemoryCache.Stats> cache, LongSupplier configGeneration,
                    AllowList allow) {
        this.server = server;
        this.cache = cache;
        this.configGeneration = configGeneration;
        this.allow = allow;
        registry.register(this);
    }

    /** Adds the route (inline on the loop, like the status page: a scrape must not queue behind a full pool). */
    void addTo(Server.Builder builder, String path) {
        builder.get(path, Bridges.on(Bridges.inline(), this::handle));
    }

    private void handle(Request req, Response res) throws IOException {
        if (StatusPage.refused(allow, req, res)) {
            return;
        }
        res.header("Cache-Control", "no-store").contentType(PrometheusTextFormatWriter.CONTENT_TYPE).send(scrape());
    }

    /** The exposition text of one scrape. */
    byte[] scrape() throws IOException {
        var out = new ByteArrayOutputStream(16 * 1024);
        writer.write(out, registry.scrape());
        return out.toByteArray();
    }

    @Override
    public MetricSnapshots collect() {
        ServerStats s = server.get().stats();
        ServerStats.Traffic t = s.total().traffic();
        List<MetricSnapshot> m = new ArrayList<>();

        m.add(counter("brigade_http_requests", "Requests whose transaction ended, by method.", "method", t.byMethod()));
        m.add(counter("brigade_http_responses", "Transactions ended, by status class ('none': no response head left).",
                "status_class", t.byStatusClass()));
        m.add(counter("brigade_http_shed_responses", "Requests answered 408 (too slow) or 503 (shed).", "status",
                Map.of("408", t.status408(), "503", t.status503())));
        m.add(counter("brigade_http_incomplete", "Transactions whose connection ended before the whole response left.",
                t.incomplete()));
        m.add(counter("brigade_http_sent_bytes", "Response bytes written to sockets, heads included.", t.bytesSent()));
        m.add(histogram("brigade_http_request_duration_seconds",
                "From a request's head to its response's last byte.", t.latencySeconds()));
        m.add(histogram("brigade_http_response_size_bytes", "Response sizes on the wire.", t.responseBytes()));
        m.add(counter("brigade_timeouts", "Timeouts fired, by kind.", "kind", t.timeouts()));

        var conns = GaugeSnapshot.builder().name("brigade_connections").help("Open connections by loop and state.");
        for (ServerStats.Loop l : s.loops()) {
            l.connections().forEach((state, n) -> conns.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder()
                    .labels(Labels.of("loop", Integer.toString(l.index()), "state", state.toLowerCase())).value(n).build()));
        }
        m.add(conns.build());
        m.add(counter("brigade_connections_accepted", "Connections accepted.", s.total().accepted()));
        m.add(counter("brigade_connections_closed", "Connections closed.", s.total().closed()));
        m.add(counter("brigade_stale_completions", "Completions dropped because their connection had closed first.",
                s.staleCompletions()));

        bridges(m, s.bridges());
        cache(m, cache.get());
        m.add(gauge("brigade_draining", "1 once a graceful stop (drain) has begun.", s.draining() ? 1 : 0));
        m.add(gauge("brigade_uptime_seconds", "Seconds since the server started.", s.uptimeMillis() / 1000.0));
        m.add(gauge("brigade_config_generation", "The configuration's number; each reload adds one.",
                configGeneration.getAsLong()));
        return new MetricSnapshots(m);
    }

    /** Per bridge (labelled by its position and name: two bridges may share a name), and per virtual host of a lazy one. */
    private static void bridges(List<MetricSnapshot> m, List<ServerStats.BridgeUse> bridges) {
        var threads = GaugeSnapshot.builder().name("brigade_bridge_threads").help("Threads a bridge owns.");
        var busy = GaugeSnapshot.builder().name("brigade_bridge_busy").help("Bridge threads running a handler.");
        var queued = GaugeSnapshot.builder().name("brigade_bridge_queued").help("Jobs waiting in a bridge's backlog.");
        var rejected = CounterSnapshot.builder().name("brigade_bridge_rejected").help("Jobs a bridge shed with 503.");
        var completed = CounterSnapshot.builder().name("brigade_bridge_completed").help("Jobs a bridge ran to the end.");
        for (int i = 0; i < bridges.size(); i++) {
            ServerStats.BridgeUse b = bridges.get(i);
            List<Map.Entry<Labels, BridgeStats>> rows = new ArrayList<>();
            rows.add(Map.entry(Labels.of("bridge", Integer.toString(i), "name", b.name(), "host", ""), b.stats()));
            for (var h : b.perHost().entrySet()) {
                rows.add(Map.entry(Labels.of("bridge", Integer.toString(i), "name", b.name(), "host", h.getKey()),
                        h.getValue()));
            }
            for (var row : rows) {
                Labels l = row.getKey();
                BridgeStats st = row.getValue();
                threads.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().labels(l).value(st.threads()).build());
                busy.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().labels(l).value(st.busy()).build());
                queued.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().labels(l).value(st.queued()).build());
                rejected.dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder().labels(l).value(st.rejected()).build());
                completed.dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder().labels(l).value(st.completed()).build());
            }
        }
        m.add(threads.build());
        m.add(busy.build());
        m.add(queued.build());
        m.add(rejected.build());
        m.add(completed.build());
    }

    private static void cache(List<MetricSnapshot> m, MemoryCache.Stats c) {
        if (c == null) {
            return;
        }
        m.add(counter("brigade_cache_lookups", "File cache lookups, by result.", "result",
                Map.of("hit", c.hits(), "miss", c.misses())));
        m.add(counter("brigade_cache_evictions", "File cache entries evicted.", c.evictions()));
        m.add(gauge("brigade_cache_entries", "Files in the memory cache.", c.entries()));
        m.add(gauge("brigade_cache_size_bytes", "Bytes held by the memory cache.", c.bytes()));
    }

    private static CounterSnapshot counter(String name, String help, String label, Map<String, Long> values) {
        var b = CounterSnapshot.builder().name(name).help(help);
        values.forEach((k, v) -> b.dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder()
                .labels(Labels.of(label, k)).value(v).build()));
        return b.build();
    }

    private static CounterSnapshot counter(String name, String help, long value) {
        return CounterSnapshot.builder().name(name).help(help)
                .dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder().value(value).build()).build();
    }

    private static GaugeSnapshot gauge(String name, String help, double value) {
        return GaugeSnapshot.builder().name(name).help(help)
                .dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().value(value).build()).build();
    }

    private static HistogramSnapshot histogram(String name, String help, ServerStats.Histogram h) {
        List<Double> bounds = new ArrayList<>(h.upperBounds());
        bounds.add(Double.POSITIVE_INFINITY);
        // the client's model takes per-bucket counts, as ServerStats has them (it writes them cumulative)
        return HistogramSnapshot.builder().name(name).help(help)
                .dataPoint(HistogramSnapshot.HistogramDataPointSnapshot.builder()
                        .classicHistogramBuckets(ClassicHistogramBuckets.of(bounds, h.counts())).sum(h.sum()).build())
                .build();
    }
}
