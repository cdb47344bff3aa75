package dev.brigade.cli;

import dev.brigade.server.Server;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** Small routes that show the handler API at work; `brigade serve --no-demo` leaves them out. */
final class DemoRoutes {

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
