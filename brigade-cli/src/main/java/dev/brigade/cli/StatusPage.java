package dev.brigade.cli;

import dev.brigade.api.Handler;
import dev.brigade.api.Request;
import dev.brigade.api.Response;
import dev.brigade.dispatch.Bridges;
import dev.brigade.files.MemoryCache;
import dev.brigade.server.Server;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * httpd's mod_status for Brigade: {@code /server-status} (HTML, refreshing itself) and
 * {@code /server-status.json}, for the addresses of an {@link AllowList} (403 for the others).
 *
 * <p>Both run inline on the loop (a snapshot is a few array reads), so the page answers even when
 * a worker pool is saturated, which is when an operator looks at it. Each page shows its snapshot
 * number; {@code /server-status.json?snapshot=N} returns that same snapshot while it is one of the
 * last {@value #KEPT} taken, so the page and its JSON can be compared number for number.
 */
final class StatusPage {

    static final String PATH = "/server-status";
    static final String JSON_PATH = "/server-status.json";
    private static final int KEPT = 32;
    private static final int DEFAULT_REFRESH_SECONDS = 5;

    private final Supplier<Server> server;
    private final Supplier<MemoryCache.Stats> cache;
    private final LongSupplier configGeneration;
    private final AllowList allow;
    private final Map<Long, StatusSnapshot> recent = new LinkedHashMap<>() { // guarded by itself
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, StatusSnapshot> eldest) {
            return size() > KEPT;
        }
    };

    /**
     * @param server           the server, once built (the routes exist before it does)
     * @param cache            the file cache's counters, or a supplier of null without a cache
     * @param configGeneration the configuration's number, bumped by each reload
     */
    StatusPage(Supplier<Server> server, Supplier<MemoryCache.Stats> cache, LongSupplier configGeneration, AllowList allow) {
        this.server = server;
        this.cache = cache;
        this.configGeneration = configGeneration;
        this.allow = allow;
    }

    /** Adds both routes to the default host. */
    void addTo(Server.Builder builder) {
        var inline = Bridges.inline();
        builder.get(PATH, Bridges.on(inline, this::html));
        builder.get(JSON_PATH, Bridges.on(inline, this::json));
    }

    private void html(Request req, Response res) {
        if (refused(req, res)) {
            return;
        }
        int refresh = DEFAULT_REFRESH_SECONDS;
        String asked = req.queryParam("refresh");
        if (asked != null && asked.matches("\\d{1,4}") && Integer.parseInt(asked) > 0) {
            refresh = Integer.parseInt(asked);
        }
        res.header("Cache-Control", "no-store").contentType("text/html; charset=utf-8")
                .send(StatusHtml.render(take(), refresh));
    }

    private void json(Request req, Response res) {
        if (refused(req, res)) {
            return;
        }
        StatusSnapshot snap;
        String id = req.queryParam("snapshot");
        if (id == null) {
            snap = take();
        } else {
            synchronized (recent) {
                snap = id.matches("\\d{1,18}") ? recent.get(Long.parseLong(id)) : null;
            }
            if (snap == null) {
                res.status(404).contentType("text/plain; charset=utf-8")
                        .send("snapshot " + id + " is not among the last " + KEPT + " taken\n");
                return;
            }
        }
        res.header("Cache-Control", "no-store").contentType("application/json").send(StatusJson.render(snap));
    }

    /** Takes a snapshot and keeps it for its JSON. */
    StatusSnapshot take() {
        StatusSnapshot snap = new StatusSnapshot(server.get().stats(), cache.get(), configGeneration.getAsLong());
        synchronized (recent) {
            recent.put(snap.id(), snap);
        }
        return snap;
    }

    private boolean refused(Request req, Response res) {
        return refused(allow, req, res);
    }

    /** Answers 403 to a client the list does not allow; true if it did. The metrics use it too. */
    static boolean refused(AllowList allow, Request req, Response res) {
        if (allow.allows(req.remoteAddress().getAddress())) {
            return false;
        }
        res.status(403).contentType("text/plain; charset=utf-8").send("403 Forbidden\n");
        return true;
    }
}
