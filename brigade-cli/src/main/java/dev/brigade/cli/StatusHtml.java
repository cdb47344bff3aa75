package dev.brigade.cli;

import dev.brigade.dispatch.BridgeStats;
import dev.brigade.server.ServerStats;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;

/**
 * {@code /server-status}: the status page as HTML that refreshes itself ({@code <meta
 * http-equiv=refresh>}, no JavaScript). One section per subject, one table row per loop. Every
 * number sits in a cell with a {@code data-key} naming it as the JSON does (e.g.
 * {@code loop.0.KEEPALIVE}), so a test, or a scraper, can compare the two.
 */
final class StatusHtml {

    private static final String CSS = """
            body{font:14px/1.4 system-ui,sans-serif;margin:1.5em 2em;color:#1d2329;background:#fafbfc}
            h1{font-size:1.5em;margin:0 0 .2em}h2{font-size:1.1em;margin:1.6em 0 .5em;border-bottom:1px solid #d0d7de}
            p.meta{color:#57606a;margin:0}table{border-collapse:collapse;background:#fff;margin-bottom:.5em}
            th,td{border:1px solid #d0d7de;padding:.3em .7em;text-align:right}th{background:#f0f3f6;font-weight:600}
            td:first-child,th:first-child{text-align:left}tr.total td{font-weight:600;background:#f6f8fa}
            td.zero{color:#9aa4ad}.draining{color:#b35900;font-weight:600}""";

    private StatusHtml() {
    }

    static String render(StatusSnapshot snap, int refreshSeconds) {
        ServerStats s = snap.server();
        StringBuilder h = new StringBuilder(8192);
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta http-equiv=\"refresh\" content=\"").append(refreshSeconds).append("\">")
                .append("<title>Brigade status</title><style>").append(CSS).append("</style></head><body>\n");
        h.append("<h1>Brigade status</h1>\n<p class=\"meta\">snapshot <span data-key=\"snapshot\">").append(snap.id())
                .append("</span> taken ").append(Instant.ofEpochMilli(s.takenAtMillis()))
                .append(" · up ").append(uptime(s.uptimeMillis()))
                .append(" · configuration generation <span data-key=\"configGeneration\">").append(snap.configGeneration())
                .append("</span> · refreshes every ").append(refreshSeconds).append(" s")
                .append(s.draining() ? " · <span class=\"draining\">draining</span>" : "")
                .append(" · <a href=\"server-status.json?snapshot=").append(snap.id()).append("\">JSON</a></p>\n");
        traffic(h, s);
        connections(h, s);
        responses(h, s);
        bridges(h, s);
        cache(h, snap);
        return h.append("</body></html>\n").toString();
    }

    private static void traffic(StringBuilder h, ServerStats s) {
        h.append("<h2 id=\"traffic\">Traffic</h2>\n<table><tr><th>window</th><th>requests/s</th><th>bytes/s</th></tr>\n");
        for (ServerStats.Rate r : s.rates()) {
            h.append("<tr><td>last ").append(r.windowSeconds()).append(" s</td><td>")
                    .append(String.format(Locale.ROOT, "%.1f", r.requestsPerSecond())).append("</td><td>")
                    .append(bytes(r.bytesPerSecond())).append("</td></tr>\n");
        }
        ServerStats.Traffic t = s.total().traffic();
        h.append("</table>\n<table><tr><th>requests</th><th>bytes sent</th><th>408 (too slow)</th>")
                .append("<th>503 (shed)</th><th>cut short</th><th>late completions dropped</th></tr>\n<tr>");
        cell(h, "traffic.requests", t.requests());
        cell(h, "traffic.bytesSent", t.bytesSent());
        cell(h, "traffic.status408", t.status408());
        cell(h, "traffic.status503", t.status503());
        cell(h, "traffic.incomplete", t.incomplete());
        cell(h, "staleCompletions", s.staleCompletions());
        h.append("</tr></table>\n");
    }

    private static void connections(StringBuilder h, ServerStats s) {
        h.append("<h2 id=\"connections\">Connections by state</h2>\n<table><tr><th>loop</th>");
        for (String state : s.total().connections().keySet()) {
            h.append("<th>").append(state.toLowerCase(Locale.ROOT).replace('_', ' ')).append("</th>");
        }
        h.append("<th>open</th><th>accepted</th><th>closed</th><th>requests</th></tr>\n");
        for (ServerStats.Loop l : s.loops()) {
            connectionRow(h, "loop " + l.index(), "loop." + l.index(), l, "");
        }
        connectionRow(h, "all loops", "total", s.total(), " class=\"total\"");
        h.append("</table>\n");
    }

    private static void connectionRow(StringBuilder h, String label, String key, ServerStats.Loop l, String rowClass) {
        h.append("<tr").append(rowClass).append("><td>").append(label).append("</td>");
        l.connections().forEach((state, n) -> cell(h, key + "." + state, n));
        cell(h, key + ".open", l.open());
        cell(h, key + ".accepted", l.accepted());
        cell(h, key + ".closed", l.closed());
        cell(h, key + ".requests", l.traffic().requests());
        h.append("</tr>\n");
    }

    private static void responses(StringBuilder h, ServerStats s) {
        ServerStats.Traffic t = s.total().traffic();
        h.append("<h2 id=\"responses\">Responses and timeouts</h2>\n");
        countsTable(h, "status class", "byStatusClass", t.byStatusClass());
        countsTable(h, "method", "byMethod", t.byMethod());
        countsTable(h, "timeouts", "timeouts", t.timeouts());
    }

    private static void countsTable(StringBuilder h, String title, String key, Map<String, Long> counts) {
        h.append("<table><tr><th>").append(title).append("</th>");
        counts.keySet().forEach(k -> h.append("<th>").append(escape(k)).append("</th>"));
        h.append("</tr>\n<tr><td></td>");
        counts.forEach((k, v) -> cell(h, key + "." + k, v));
        h.append("</tr></table>\n");
    }

    private static void bridges(StringBuilder h, ServerStats s) {
        h.append("<h2 id=\"bridges\">Bridges</h2>\n<table><tr><th>bridge</th><th>threads</th><th>busy</th><th>idle</th>")
                .append("<th>queued</th><th>rejected (503)</th><th>completed</th></tr>\n");
        for (int i = 0; i < s.bridges().size(); i++) {
            ServerStats.BridgeUse b = s.bridges().get(i);
            bridgeRow(h, escape(b.name()), "bridge." + i, b.stats());
            for (var host : b.perHost().entrySet()) {
                bridgeRow(h, "&nbsp;&nbsp;host " + escape(host.getKey()), "bridge." + i + ".host." + escape(host.getKey()),
                        host.getValue());
            }
        }
        h.append("</table>\n");
    }

    private static void bridgeRow(StringBuilder h, String label, String key, BridgeStats b) {
        h.append("<tr><td>").append(label).append("</td>");
        cell(h, key + ".threads", b.threads());
        cell(h, key + ".busy", b.busy());
        cell(h, key + ".idle", b.idle());
        cell(h, key + ".queued", b.queued());
        cell(h, key + ".rejected", b.rejected());
        cell(h, key + ".completed", b.completed());
        h.append("</tr>\n");
    }

    private static void cache(StringBuilder h, StatusSnapshot snap) {
        h.append("<h2 id=\"cache\">File cache</h2>\n");
        var c = snap.cache();
        if (c == null) {
            h.append("<p>No memory cache.</p>\n");
            return;
        }
        double ratio = snap.cacheHitRatio();
        h.append("<table><tr><th>entries</th><th>size</th><th>hits</th><th>misses</th><th>hit ratio</th>")
                .append("<th>evictions</th></tr>\n<tr>");
        cell(h, "cache.entries", c.entries());
        h.append("<td data-key=\"cache.bytes\" title=\"").append(c.bytes()).append(" bytes\">")
                .append(bytes(c.bytes())).append("</td>");
        cell(h, "cache.hits", c.hits());
        cell(h, "cache.misses", c.misses());
        h.append("<td>").append(Double.isNaN(ratio) ? "–" : String.format(Locale.ROOT, "%.1f %%", ratio * 100))
                .append("</td>");
        cell(h, "cache.evictions", c.evictions());
        h.append("</tr></table>\n");
    }

    private static void cell(StringBuilder h, String key, long n) {
        h.append("<td data-key=\"").append(key).append('"').append(n == 0 ? " class=\"zero\"" : "").append('>')
                .append(n).append("</td>");
    }

    private static String uptime(long millis) {
        Duration d = Duration.ofMillis(millis);
        return d.toDaysPart() > 0 ? String.format(Locale.ROOT, "%dd %02d:%02d:%02d", d.toDaysPart(), d.toHoursPart(),
                d.toMinutesPart(), d.toSecondsPart())
                : String.format(Locale.ROOT, "%02d:%02d:%02d", d.toHoursPart(), d.toMinutesPart(), d.toSecondsPart());
    }

    private static String bytes(double n) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
        int u = 0;
        while (n >= 1024 && u < units.length - 1) {
            n /= 1024;
            u++;
        }
        return u == 0 ? String.format(Locale.ROOT, "%.0f B", n) : String.format(Locale.ROOT, "%.1f %s", n, units[u]);
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
