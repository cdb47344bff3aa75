package dev.brigade.cli;

import dev.brigade.api.Handler;
import dev.brigade.server.Server;
import java.util.function.UnaryOperator;
import java.io.OutputStream;
import dev.brigade.api.BodyWriter;
import dev.brigade.api.Response;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** Small routes that show the handler API at work; `brigade serve --no-demo` leaves them out. */
final class DemoRoutes {

    /** Delays for /slow: a timer thread completes the response, so no loop thread ever waits. */
    private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("brigade-demo-timer").factory());

    /** Long-polls waiting for the next publish. */
    private static final Queue<Response> WAITING = new ConcurrentLinkedQueue<>();

    private DemoRoutes() {
    }

    static void addTo(Server.Builder b) {
        addTo(b, UnaryOperator.identity());
    }

    /** Adds the routes, each handler passed through {@code wrap} (to let files of the same name win). */
    static void addTo(Server.Builder builder, UnaryOperator<Handler> wrap) {
        Routes b = new Routes(builder, wrap);
        b.get("/hello", (req, res) -> {
            String name = req.queryParam("name");
            res.send("Hello, " + (name == null ? "World" : name) + "!\n");
        });
        b.get("/json", (req, res) -> res.contentType("application/json").send("{\"message\":\"Hello, World!\"}"));
        b.get("/users/{id}", (req, res) -> res.contentType("application/json")
                .send("{\"id\":\"" + jsonEscape(req.pathParam("id")) + "\"}"));
        b.post("/echo", (req, res) -> req.body().whenComplete((body, failure) -> {
            if (failure == null) {
                // never the request's own type: a text/html body with a script would come back as a page
                String type = req.header("Content-Type");
                boolean text = type != null && type.toLowerCase(java.util.Locale.ROOT).startsWith("text/");
                res.contentType(text ? "text/plain; charset=utf-8" : "application/octet-stream")
                        .header("X-Content-Type-Options", "nosniff").send(body);
            }
        }));
        // Blocks the worker for ms: with --bridge pool:T:B, T+B of these at once and the next gets
        // the pool's 503 (load shedding to watch); never on the inline bridge, which would stall the loop.
        b.get("/block", (req, res) -> {
            long ms = parseBounded(req.queryParam("ms"), 1000, 0, 60_000);
            if (!req.blockingAllowed()) {
                res.status(409).send("/block blocks a worker thread: run with --bridge pool:THREADS:BACKLOG or virtual\n");
                return;
            }
            Thread.sleep(ms);
            res.send("blocked a worker for " + ms + " ms\n");
        });
        b.get("/slow", (req, res) -> {
            long ms = parseBounded(req.queryParam("ms"), 1000, 0, 60_000);
            res.async();
            TIMER.schedule(() -> res.send("slept " + ms + " ms\n"), ms, TimeUnit.MILLISECONDS);
        });
        // Long-poll: GET /poll parks (no thread) until POST /publish or 30 s (then 503 / Retry-After).
        b.get("/poll", (req, res) -> {
            res.suspend(Duration.ofSeconds(30));
            WAITING.add(res);
        });
        b.post("/publish", (req, res) -> req.body().thenAccept(body -> {
            int n = 0;
            for (Response waiter; (waiter = WAITING.poll()) != null; n++) {
                waiter.contentType("text/plain; charset=utf-8").send(body);
            }
            res.send("delivered to " + n + " waiting client(s)\n");
        }));
        // mod_dialup: one line per second, the exchange parked between lines with no thread.
        b.get("/dialup", (req, res) -> {
            int lines = (int) parseBounded(req.queryParam("lines"), 5, 1, 30);
            res.contentType("text/plain; charset=utf-8").suspend(Duration.ofSeconds(lines + 5));
            BodyWriter writer = res.writer();
            for (int i = 1; i <= lines; i++) {
                int n = i;
                TIMER.schedule(() -> {
                    writer.write(ByteBuffer.wrap(("line " + n + " of " + lines + "\n").getBytes(StandardCharsets.UTF_8)));
                    if (n == lines) {
                        writer.end();
                    }
                }, i, TimeUnit.SECONDS);
            }
        });
        b.get("/stream", (req, res) -> {
            res.contentType("text/plain; charset=utf-8");
            try (OutputStream out = res.output()) {
                for (int i = 1; i <= 5; i++) {
                    out.write(("line " + i + "\n").getBytes(StandardCharsets.UTF_8));
                    out.flush();
                }
            }
        });
    }

    /** The builder's GET and POST, with every handler wrapped. */
    private record Routes(Server.Builder builder, UnaryOperator<Handler> wrap) {
        void get(String pattern, Handler h) {
            builder.get(pattern, wrap.apply(h));
        }

        void post(String pattern, Handler h) {
            builder.post(pattern, wrap.apply(h));
        }
    }

    /** A query number kept within bounds, or the default when absent or not a number. */
    private static long parseBounded(String value, long dflt, long min, long max) {
        try {
            return value == null ? dflt : Math.max(min, Math.min(max, Long.parseLong(value)));
        } catch (NumberFormatException e) {
            return dflt;
        }
    }

    private static String jsonEscape(String s) {
        var sb = new StringBuilder();
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
