package dev.brigade.bench;

import dev.brigade.api.BodyListener;
import dev.brigade.api.Request;
import dev.brigade.api.Response;
import dev.brigade.files.StaticFiles;
import dev.brigade.server.Server;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The I/O path under abuse, measured on the server alone (the load comes from a second JVM, this
 * class in {@code --load} mode): memory per connection and a fresh client's latency while
 *
 * <ul>
 *   <li>{@code upload}: 100 clients upload 100 MB each to a handler that streams them to disk with
 *       {@code Request.read} (live heap per upload; target under 256 KiB);</li>
 *   <li>{@code gzip}: 50 clients read a 20 MB text file gzip-compressed at 100 KB/s each (RSS per
 *       slow reader; target under 1 MiB, nginx 0.47 MiB);</li>
 *   <li>{@code listing}: 10 clients list a 50,000-entry directory over and over.</li>
 * </ul>
 * "heap/conn" is the growth of the live heap (after full collections) per client; "RSS/conn" the
 * growth of the resident set per client, which counts memory outside the heap when the heap is
 * fixed and pre-touched (run-io's default JVM options).
 *
 * <p>Meanwhile this process opens a fresh connection for {@code GET /hello.txt} every 50 ms and
 * reports the p50/p99/max of the time to its whole response (target p99 under 200 ms, no failure).
 *
 * <pre>
 *   ./brigade-bench/run-io [--scenarios upload,gzip,listing] [--window 15] [--uploads 100]
 *                          [--upload-mb 100] [--readers 50] [--rate 100000] [--file-mb 20]
 *                          [--listers 10] [--entries 50000] [--loops N]
 * </pre>
 */
public final class IoPathBench {

    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(5);

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("--load")) {
            Load.main(Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        Options o = Options.parse(args);
        Path root = Files.createTempDirectory("brigade-io-bench");
        Path uploads = Files.createDirectories(root.resolve("uploads-out"));
        Path site = Files.createDirectories(root.resolve("site"));
        Files.writeString(site.resolve("hello.txt"), "hello, world\n");
        writeText(site.resolve("big.txt"), o.fileMb << 20);
        Path listed = Files.createDirectories(site.resolve("big"));
        for (int i = 0; i < o.entries; i++) {
            Files.createFile(listed.resolve("entry-" + i + ".txt"));
        }
        AtomicInteger uploadIds = new AtomicInteger();
        try (StaticFiles files = StaticFiles.builder(site).listing(true).build()) {
            Server server = Server.builder().bind("127.0.0.1").port(0).loops(o.loops).compression(6, 1024)
                    .maxBodyBytes(1L << 40)
                    .post("/upload", (req, res) -> streamToDisk(req, res,
                            uploads.resolve("u" + uploadIds.incrementAndGet())))
                    .fallback(files)
                    .build().start();
            try {
                System.out.printf(Locale.ROOT, "io-bench: %d loops, JDK %s, window %d s%n", o.loops,
                        Runtime.version(), o.window);
                System.out.printf(Locale.ROOT, "%-9s %8s %14s %14s %12s %9s %9s %9s %7s%n", "scenario", "clients",
                        "heap/conn B", "RSS/conn B", "probes", "p50 ms", "p99 ms", "max ms", "failed");
                for (String scenario : o.scenarios) {
                    runScenario(server, scenario, o);
                }
            } finally {
                server.stop(Duration.ofSeconds(5));
            }
        } finally {
            deleteTree(root);
        }
    }

    private static void runScenario(Server server, String scenario, Options o) throws Exception {
        int clients = switch (scenario) {
            case "upload" -> o.uploads;
            case "gzip" -> o.readers;
            case "listing" -> o.listers;
            default -> throw new IllegalArgumentException("unknown scenario " + scenario);
        };
        IdleConnectionsBench.Snapshot before = IdleConnectionsBench.Snapshot.take();
        Process load = startLoad(server.port(), scenario, clients, o);
        try (BufferedReader fromLoad = new BufferedReader(new InputStreamReader(load.getInputStream(),
                StandardCharsets.US_ASCII))) {
            String line = fromLoad.readLine(); // "ready" once every client has started
            if (!"ready".equals(line)) {
                throw new IllegalStateException("load process: " + line);
            }
            Thread.sleep(2000); // settle: every client in its steady state
            List<Double> latencies = new ArrayList<>();
            int failed = 0;
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(o.window);
            IdleConnectionsBench.Snapshot during = null;
            while (System.nanoTime() < end) {
                double ms = probe(server.port());
                if (ms < 0) {
                    failed++;
                } else {
                    latencies.add(ms);
                }
                if (during == null && latencies.size() + failed >= o.window * 10L) {
                    during = IdleConnectionsBench.Snapshot.take(); // mid-window, loads running
                }
                Thread.sleep(50);
            }
            if (during == null) {
                during = IdleConnectionsBench.Snapshot.take();
            }
            latencies.sort(null);
            System.out.printf(Locale.ROOT, "%-9s %8d %,14d %,14d %12d %9.1f %9.1f %9.1f %7d%n", scenario, clients,
                    (during.heapUsed() - before.heapUsed()) / clients, (during.rss() - before.rss()) / clients,
                    latencies.size() + failed, pct(latencies, 0.50), pct(latencies, 0.99),
                    latencies.isEmpty() ? -1 : latencies.getLast(), failed);
        } finally {
            load.destroy();
            load.waitFor(10, TimeUnit.SECONDS);
            waitForIdle(server);
        }
    }

    private static void waitForIdle(Server server) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (server.connectionsOpen() > 0 && System.nanoTime() < until) {
            Thread.sleep(50);
        }
    }

    private static double pct(List<Double> sorted, double p) {
        return sorted.isEmpty() ? -1 : sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1));
    }

    /** One fresh connection, one GET of a small file, read to the end; milliseconds, or -1 on failure. */
    private static double probe(int port) {
        long t0 = System.nanoTime();
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), (int) PROBE_TIMEOUT.toMillis());
            s.setSoTimeout((int) PROBE_TIMEOUT.toMillis());
            s.getOutputStream().write("GET /hello.txt HTTP/1.1\r\nHost: b\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            byte[] all = s.getInputStream().readAllBytes();
            String text = new String(all, StandardCharsets.ISO_8859_1);
            if (!text.startsWith("HTTP/1.1 200") || !text.endsWith("hello, world\n")) {
                return -1;
            }
            return (System.nanoTime() - t0) / 1e6;
        } catch (IOException e) {
            return -1;
        }
    }

    /** An inline handler writing each piece of the body to a file as it comes; the file is deleted after. */
    private static void streamToDisk(Request req, Response res, Path target) throws IOException {
        FileChannel out = FileChannel.open(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                StandardOpenOption.DELETE_ON_CLOSE);
        req.read(new BodyListener() {
            long total;

            @Override
            public void onChunk(ByteBuffer chunk) {
                try {
                    total += chunk.remaining();
                    while (chunk.hasRemaining()) {
                        out.write(chunk);
                    }
                    if (total % (64L << 20) < chunk.capacity()) {
                        out.truncate(0); // keep the disk footprint small: the bytes went through the file anyway
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                req.read(this);
            }

            @Override
            public void onEnd() {
                close();
                res.send(Long.toString(total));
            }

            @Override
            public void onError(Throwable failure) {
                close();
            }

            private void close() {
                try {
                    out.close();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        });
    }

    private static void writeText(Path file, long size) throws IOException {
        String[] words = {"brigade", "bucket", "filter", "loop", "connection", "request", "response", "event",
                "setaside", "reinstate", "yield", "kick", "socket", "buffer", "header", "body"};
        StringBuilder sb = new StringBuilder();
        java.util.SplittableRandom r = new java.util.SplittableRandom(7);
        try (OutputStream out = Files.newOutputStream(file)) {
            long written = 0;
            while (written < size) {
                sb.setLength(0);
                for (int i = 0; i < 12; i++) {
                    sb.append(words[r.nextInt(words.length)]).append(i == 11 ? '\n' : ' ');
                }
                byte[] line = sb.toString().getBytes(StandardCharsets.US_ASCII);
                out.write(line);
                written += line.length;
            }
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (var paths = Files.walk(root)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static Process startLoad(int port, String scenario, int clients, Options o) throws IOException {
        String java = ProcessHandle.current().info().command().orElse(
                Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> cmd = List.of(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                IoPathBench.class.getName(), "--load", Integer.toString(port), scenario, Integer.toString(clients),
                Long.toString(o.uploadMb << 20), Integer.toString(o.rate), Integer.toString(o.window + 30));
        return new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    /** The load, in its own JVM: one virtual thread per client, each bounded by a deadline. */
    static final class Load {

        static void main(String[] args) throws Exception {
            int port = Integer.parseInt(args[0]);
            String scenario = args[1];
            int clients = Integer.parseInt(args[2]);
            long uploadBytes = Long.parseLong(args[3]);
            int rate = Integer.parseInt(args[4]);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Long.parseLong(args[5]));
            List<Thread> threads = new ArrayList<>();
            java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(clients);
            for (int i = 0; i < clients; i++) {
                threads.add(Thread.ofVirtual().start(() -> {
                    java.util.concurrent.atomic.AtomicBoolean counted = new java.util.concurrent.atomic.AtomicBoolean();
                    Runnable ready = () -> {
                        if (counted.compareAndSet(false, true)) {
                            started.countDown();
                        }
                    };
                    while (System.nanoTime() < deadline) {
                        try (Socket s = new Socket()) {
                            if (scenario.equals("gzip")) {
                                s.setReceiveBufferSize(16 * 1024); // a slow reader's small window
                            }
                            s.connect(new InetSocketAddress("127.0.0.1", port));
                            s.setSoTimeout(30_000);
                            switch (scenario) {
                                case "upload" -> upload(s, uploadBytes, ready, deadline);
                                case "gzip" -> slowGzipRead(s, rate, ready, deadline);
                                default -> list(s, ready);
                            }
                        } catch (IOException e) {
                            // the server or the bench ended this client; the next round starts over
                        }
                        ready.run(); // a client that failed at once must not hold the others back
                    }
                }));
            }
            started.await(60, TimeUnit.SECONDS);
            System.out.println("ready");
            System.out.flush();
            for (Thread t : threads) {
                t.join();
            }
        }

        private static void upload(Socket s, long size, Runnable ready, long deadline)
                throws IOException {
            OutputStream out = s.getOutputStream();
            out.write(("POST /upload HTTP/1.1\r\nHost: b\r\nContent-Length: " + size + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            ready.run();
            byte[] piece = new byte[64 * 1024];
            Arrays.fill(piece, (byte) 'u');
            for (long left = size; left > 0 && System.nanoTime() < deadline; ) {
                int n = (int) Math.min(piece.length, left);
                out.write(piece, 0, n);
                left -= n;
            }
            s.getInputStream().readAllBytes(); // the answer, then the server's close or ours
        }

        private static void slowGzipRead(Socket s, int bytesPerSecond, Runnable ready,
                long deadline) throws IOException {
            s.getOutputStream().write("GET /big.txt HTTP/1.1\r\nHost: b\r\nAccept-Encoding: gzip\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            ready.run();
            InputStream in = s.getInputStream();
            byte[] buf = new byte[bytesPerSecond / 10];
            long t0 = System.nanoTime();
            long total = 0;
            while (System.nanoTime() < deadline) {
                int n = in.read(buf);
                if (n < 0) {
                    return;
                }
                total += n;
                long due = t0 + total * 1_000_000_000L / bytesPerSecond; // when this many bytes are earned
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    try {
                        Thread.sleep(Duration.ofNanos(wait));
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }
        }

        private static void list(Socket s, Runnable ready) throws IOException {
            s.getOutputStream().write("GET /big/ HTTP/1.1\r\nHost: b\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            ready.run();
            s.getInputStream().readAllBytes();
        }
    }

    private record Options(List<String> scenarios, int window, int uploads, long uploadMb, int readers, int rate,
            long fileMb, int listers, int entries, int loops) {

        static Options parse(String[] args) {
            List<String> scenarios = List.of("upload", "gzip", "listing");
            int window = 15;
            int uploads = 100;
            long uploadMb = 100;
            int readers = 50;
            int rate = 100_000;
            long fileMb = 20;
            int listers = 10;
            int entries = 50_000;
            int loops = Runtime.getRuntime().availableProcessors();
            for (int i = 0; i < args.length; i++) {
                String v = i + 1 < args.length ? args[i + 1] : "";
                switch (args[i]) {
                    case "--scenarios" -> scenarios = List.of(v.split(","));
                    case "--window" -> window = Integer.parseInt(v);
                    case "--uploads" -> uploads = Integer.parseInt(v);
                    case "--upload-mb" -> uploadMb = Long.parseLong(v);
                    case "--readers" -> readers = Integer.parseInt(v);
                    case "--rate" -> rate = Integer.parseInt(v);
                    case "--file-mb" -> fileMb = Long.parseLong(v);
                    case "--listers" -> listers = Integer.parseInt(v);
                    case "--entries" -> entries = Integer.parseInt(v);
                    case "--loops" -> loops = Integer.parseInt(v);
                    default -> throw new IllegalArgumentException("unknown option " + args[i]);
                }
                i++;
            }
            return new Options(scenarios, window, uploads, uploadMb, readers, rate, fileMb, listers, entries, loops);
        }
    }
}
