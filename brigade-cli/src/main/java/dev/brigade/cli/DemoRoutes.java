package dev.brigade.cli;

import dev.brigade.server.Server;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** Small routes that show the handler API at work; `brigade serve --no-demo` leaves them out. */
final class DemoRoutes {

    /** Delays for /slow: a timer thread completes the response, so no loop thread ever waits. */
    private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("brigade-demo-timer").factory());

    private DemoRoutes() {
    }

    static void addTo(Server.Builder b) {
        b.get("/hello", (req, res) -> {
            String name = req.queryParam("name");
            res.send("Hello, " + (name == null ? "World" : name) + "!\n");
        });
        b.get("/json", (req, res) -> res.contentType("application/json").send("{\"message\":\"Hello, World!\"}"));
        b.get("/users/{id}", (req, res) -> res.contentType("application/json")
                .send("{\"id\":\"" + jsonEscape(req.pathParam("id")) + "\"}"));
        b.post("/echo", (req, res) -> req.body().whenComplete((body, failure) -> {
            if (failure == null) {
                String type = req.header("Content-Type");
                res.contentType(type == null ? "application/octet-stream" : type).send(body);
            }
        }));
        b.get("/slow", (req, res) -> {
            long ms = parseMillis(req.queryParam("ms"));
            res.async();
            TIMER.schedule(() -> res.send("slept " + ms + " ms\n"), ms, TimeUnit.MILLISECONDS);
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

    private static long parseMillis(String value) {
        try {
            return Math.max(0, Math.min(60_000, Long.parseLong(value == null ? "1000" : value)));
        } catch (NumberFormatException e) {
            return 1000;
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
