package dev.brigade.bench;

import dev.brigade.files.StaticFiles;
import dev.brigade.server.Server;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * The bench application of {@code ../shared/bench}: the library used as a user would use it.
 *
 * <pre>
 *   ./brigade-bench/run-server --port PORT --static DIR [--loops N] [--bind ADDRESS]
 *                              [--keepalive-timeout SECONDS] [--keepalive-requests N]
 * </pre>
 *
 * GET /plaintext, GET /json (serialized per request, as the Java peers do), GET /static/FILE.
 *
 * <p>Keep-alive is configured like the harness's peers, not with Brigade's httpd-style defaults
 * (5 s, 100 requests): the harness's httpd runs with {@code KeepAliveTimeout 60} and
 * {@code MaxKeepAliveRequests 0}, nginx with 75 s and 10,000,000 requests, and Netty/Undertow have
 * no limits at all. With 100 requests per connection wrk would spend a reconnect every 100
 * requests, and the idle test (which holds connections for ~20 s) would see them closed after 5 s.
 */
public final class BenchServer {

    private static final byte[] PLAINTEXT = "Hello, World!".getBytes(StandardCharsets.US_ASCII);

    private BenchServer() {
    }

    public static void main(String[] args) throws Exception {
        int port = 8080;
        String staticDir = null;
        String bind = "127.0.0.1";
        Integer loops = null;
        int keepAliveSeconds = 60;
        int keepAliveRequests = Integer.MAX_VALUE;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(args[++i]);
                case "--static", "--root" -> staticDir = args[++i];
                case "--loops" -> loops = Integer.parseInt(args[++i]);
                case "--bind", "--host" -> bind = args[++i];
                case "--keepalive-timeout" -> keepAliveSeconds = Integer.parseInt(args[++i]);
                case "--keepalive-requests" -> keepAliveRequests = Integer.parseInt(args[++i]);
                default -> {
                    System.err.println("usage: run-server --port PORT --static DIR [--loops N] [--bind ADDRESS]"
                            + " [--keepalive-timeout SECONDS] [--keepalive-requests N]");
                    System.exit(2);
                }
            }
        }
        if (staticDir == null) {
            staticDir = System.getenv().getOrDefault("STATIC_DIR", ".");
        }
        Server.Builder b = Server.builder().bind(bind).port(port)
                .keepAlive(Duration.ofSeconds(keepAliveSeconds), keepAliveRequests)
                .get("/plaintext", (req, res) -> res.contentType("text/plain").send(PLAINTEXT))
                .get("/json", (req, res) -> res.contentType("application/json").send(Json.message("Hello, World!")))
                // builder().build(), not new StaticFiles(root, prefix): that constructor skips build()
                // and leaves the memory cache null (NPE, 500 on every file) as of a1fcbf3
                .get("/static/*", StaticFiles.builder(Path.of(staticDir)).mount("/static/").build());
        if (loops != null) {
            b.loops(loops);
        }
        Server server = b.build().start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.stop(Duration.ofSeconds(5));
            stopped.countDown();
        }));
        System.err.println("bench server on port " + server.port() + ", static " + staticDir);
        stopped.await();
    }

    /** A tiny JSON serializer, so /json costs a serialization per request like the peers' Jackson. */
    static final class Json {
        private Json() {
        }

        static byte[] message(String text) {
            StringBuilder sb = new StringBuilder(32).append("{\"message\":\"");
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (c == '"' || c == '\\') {
                    sb.append('\\');
                }
                sb.append(c);
            }
            return sb.append("\"}").toString().getBytes(StandardCharsets.UTF_8);
        }
    }
}
