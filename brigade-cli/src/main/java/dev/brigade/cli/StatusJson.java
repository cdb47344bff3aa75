package dev.brigade.cli;

import dev.brigade.dispatch.BridgeStats;
import dev.brigade.server.ServerStats;
import java.time.Instant;
import java.util.Map;

/** {@code /server-status.json}: the status page's data for scripts, from the same snapshot as the HTML. */
final class StatusJson {

    private StatusJson() {
    }

    static String render(StatusSnapshot snap) {
        ServerStats s = snap.server();
        Json j = new Json().beginObject();
        j.name("snapshot").value(snap.id());
        j.name("takenAt").value(Instant.ofEpochMilli(s.takenAtMillis()).toString());
        j.name("uptimeSeconds").value(s.uptimeMillis() / 1000);
        j.name("configGeneration").value(snap.configGeneration());
        j.name("draining").value(s.draining());
        j.name("rates").beginArray();
        for (ServerStats.Rate r : s.rates()) {
            j.beginObject().name("windowSeconds").value(r.windowSeconds())
                    .name("requestsPerSecond").value(r.requestsPerSecond())
                    .name("bytesPerSecond").value(r.bytesPerSecond()).endObject();
        }
        j.endArray();
        j.name("total");
        loop(j, s.total());
        j.name("loops").beginArray();
        for (ServerStats.Loop l : s.loops()) {
            loop(j, l);
        }
        j.endArray();
        j.name("bridges").beginArray();
        for (ServerStats.BridgeUse b : s.bridges()) {
            j.beginObject().name("name").value(b.name());
            bridge(j, b.stats());
            j.name("hosts").beginObject();
            b.perHost().forEach((host, hs) -> {
                j.name(host).beginObject();
                bridge(j, hs);
                j.endObject();
            });
            j.endObject().endObject();
        }
        j.endArray();
        j.name("cache");
        if (snap.cache() == null) {
            j.nullValue();
        } else {
            var c = snap.cache();
            j.beginObject().name("entries").value(c.entries()).name("bytes").value(c.bytes())
                    .name("hits").value(c.hits()).name("misses").value(c.misses())
                    .name("hitRatio").value(snap.cacheHitRatio()).name("evictions").value(c.evictions()).endObject();
        }
        j.name("staleCompletions").value(s.staleCompletions());
        return j.endObject().toString();
    }

    private static void loop(Json j, ServerStats.Loop l) {
        ServerStats.Traffic t = l.traffic();
        j.beginObject().name("loop").value(l.index());
        j.name("connections");
        counts(j, l.connections());
        j.name("open").value(l.open()).name("accepted").value(l.accepted()).name("closed").value(l.closed());
        j.name("requests").value(t.requests()).name("incomplete").value(t.incomplete())
                .name("bytesSent").value(t.bytesSent()).name("status408").value(t.status408())
                .name("status503").value(t.status503());
        j.name("byStatusClass");
        counts(j, t.byStatusClass());
        j.name("byMethod");
        counts(j, t.byMethod());
        j.name("timeouts");
        counts(j, t.timeouts());
        j.endObject();
    }

    private static void counts(Json j, Map<String, Long> m) {
        j.beginObject();
        m.forEach((k, v) -> j.name(k).value(v));
        j.endObject();
    }

    private static void bridge(Json j, BridgeStats b) {
        j.name("threads").value(b.threads()).name("busy").value(b.busy()).name("idle").value(b.idle())
                .name("queued").value(b.queued()).name("rejected").value(b.rejected())
                .name("completed").value(b.completed());
    }
}
