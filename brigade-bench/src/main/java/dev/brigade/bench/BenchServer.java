package dev.brigade.bench;

import dev.brigade.dispatch.Bridge;
import dev.brigade.dispatch.Bridges;
import dev.brigade.files.StaticFiles;
import dev.brigade.server.HeapReturn;
import dev.brigade.server.Server;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * The bench application of {@code ../shared/bench}: the library used as a user would use it.
 *
 * <pre>
 *   ./brigade-bench/run-server --port PORT --static DIR [--loops N] [--bind ADDRESS]
 *                              [--keepalive-timeout SECONDS] [--keepalive-requests N]
 *                              [--bridge inline|pool:THREADS:BACKLOG|virtual|lazy:PER_HOST_MAX]
 * </pre>
 *
 * GET /plaintext, GET /json (serialized per request, as the Java peers do), GET /static/FILE
 * (StaticFiles: small files from its memory cache, large ones with sendfile).
 *
 * <p>For the static-size and bridge benchmarks ({@code run-static-sizes}, {@code run-bridges}):
 * <ul>
 *   <li>GET /bytes/{size}: a preallocated byte[] of {@code 1k} (1024), {@code 64k} (65536) or
 *       {@code 1m} (1048576) bytes, sent with {@code send(byte[])};</li>
 *   <li>GET /file/{name}: {@code sendFile(staticDir/name)}, a file region (sendfile, no cache);</li>
 *   <li>GET /block10: sleeps 10 ms (a blocking handler), then sends "ok". On the inline bridge this
 *       blocks the loop thread, which is what inline handlers must not do: it is there to measure it.</li>
 * </ul>
 *
 * <p>Keep-alive is configured like the harness's peers, not with Brigade's httpd-style defaults
 * (5 s, 100 requests): the harness's httpd runs with {@code KeepAliveTimeout 60} and
 * {@code MaxKeepAliveRequests 0}, nginx with 75 s and 10,000,000 requests, and Netty/Undertow have
 * no limits at all. With 100 requests per connection wrk would spend a reconnect every 100
 * requests, and the idle test (which holds connections for ~20 s) would see them closed after 5 s.
 */
public final class BenchServer {

    private static final byte[] PLAINTEXT = "Hello, World!".getBytes(StandardCharsets.US_ASCII);

    private static final byte[] OK = "ok".getBytes(StandardCharsets.US_ASCII);

    private BenchServer() {
    }

    /** {@code inline}, {@code pool:THREADS:BACKLOG}, {@code virtual} or {@code lazy:PER_HOST_MAX} (60 s idle reap). */
    static Bridge parseBridge(String spec) {
        String[] p = spec.split(":");
        return switch (p[0]) {
            case "inline" -> Bridges.inline();
            case "pool" -> Bridges.pool(p.length > 1 ? Integer.parseInt(p[1]) : 64,
                    p.length > 2 ? Integer.parseInt(p[2]) : 1024);
            case "virtual" -> Bridges.virtualThreads();
            case "lazy" -> Bridges.lazy(p.length > 1 ? Integer.parseInt(p[1]) : 64, Duration.ofSeconds(60));
            default -> throw new IllegalArgumentException(
                    "--bridge must be inline, pool:THREADS:BACKLOG, virtual or lazy:PER_HOST_MAX: " + spec);
        };
    }

    public static void main(String[] args) throws Exception {
        int port = 8080;
        String staticDir = null;
        String bind = "127.0.0.1";
        Integer loops = null;
        int keepAliveSeconds = 60;
        int keepAliveRequests = Integer.MAX_VALUE;
        String bridgeSpec = "inline";
        String tlsCert = null;
        String tlsKey = null;
        int httpsPort = -1;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(args[++i]);
                case "--static", "--root" -> staticDir = args[++i];
                case "--loops" -> loops = Integer.parseInt(args[++i]);
                case "--bind", "--host" -> bind = args[++i];
                case "--keepalive-timeout" -> keepAliveSeconds = Integer.parseInt(args[++i]);
                case "--keepalive-requests" -> keepAliveRequests = Integer.parseInt(args[++i]);
                case "--bridge" -> bridgeSpec = args[++i];
                case "--tls-cert" -> tlsCert = args[++i];
                case "--tls-key" -> tlsKey = args[++i];
                case "--https-port" -> httpsPort = Integer.parseInt(args[++i]);
                default -> {
                    System.err.println("usage: run-server --port PORT --static DIR [--loops N] [--bind ADDRESS]"
                            + " [--keepalive-timeout SECONDS] [--keepalive-requests N]"
                            + " [--bridge inline|pool:THREADS:BACKLOG|virtual|lazy:PER_HOST_MAX]"
                            + " [--tls-cert PEM --tls-key PEM --https-port PORT]");
                    System.exit(2);
                }
            }
        }
        if (staticDir == null) {
            staticDir = System.getenv().getOrDefault("STATIC_DIR", ".");
        }
        Path root = Path.of(staticDir);
        byte[][] sized = {new byte[1024], new byte[65536], new byte[1048576]};
        for (byte[] a : sized) {
            for (int j = 0; j < a.length; j++) {
                a[j] = (byte) ('a' + j % 26);
            }
        }
        Server.Builder b = Server.builder().bind(bind).port(port);
        var running = new java.util.concurrent.atomic.AtomicReference<Server>();
        var threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        if (tlsCert != null) {
            b.tls(dev.brigade.tls.TlsSettings.builder().certificate(Path.of(tlsCert), Path.of(tlsKey)).build())
                    .httpsPort(httpsPort < 0 ? 8443 : httpsPort);
        }
        b
                .keepAlive(Duration.ofSeconds(keepAliveSeconds), keepAliveRequests)
                .bridge(parseBridge(bridgeSpec))
                .get("/bytes/{size}", (req, res) -> {
                    byte[] body = switch (req.pathParam("size")) {
                        case "1k", "1024" -> sized[0];
                        case "64k", "65536" -> sized[1];
                        case "1m", "1048576" -> sized[2];
                        default -> null;
                    };
                    if (body == null) {
                        res.status(404).send("no such size\n");
                    } else {
                        res.contentType("application/octet-stream").send(body);
                    }
                })
                .get("/file/{name}", (req, res) -> {
                    String name = req.pathParam("name");
                    if (name.isEmpty() || name.contains("/") || name.startsWith(".")) {
                        res.status(404).send("not found\n");
                    } else {
                        res.contentType("application/octet-stream").sendFile(root.resolve(name));
                    }
                })
                .get("/block10", (req, res) -> {
                    try {
                        Thread.sleep(10);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    res.contentType("text/plain").send(OK);
                })
                .get("/plaintext", (req, res) -> res.contentType("text/plain").send(PLAINTEXT))
                // for run-alloc: bytes allocated by every thread so far and requests served, read
                // before and after a load run, give the exact allocation per request
                .get("/bench-stats", (req, res) -> res.contentType("application/json").send(
                        "{\"allocatedBytes\":" + threads.getTotalThreadAllocatedBytes()
                                + ",\"requests\":" + running.get().requestsServed() + "}"))
                .get("/json", (req, res) -> res.contentType("application/json").send(Json.message("Hello, World!")))
                // builder().build(), not new StaticFiles(root, prefix): that constructor skips build()
                // and leaves the memory cache null (NPE, 500 on every file) as of a1fcbf3
                .get("/static/*", StaticFiles.builder(root).mount("/static/").build());
        if (loops != null) {
            b.loops(loops);
        }
        Server server = b.build();
        running.set(server);
        List<String> heapFlags = HeapReturn.apply();   // as brigade serve does
        server.start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.stop(Duration.ofSeconds(5));
            stopped.countDown();
        }));
        System.err.println("bench server on port " + server.port() + ", static " + staticDir + ", bridge " + bridgeSpec
                + (heapFlags.isEmpty() ? "" : ", " + String.join(" ", heapFlags)));
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
