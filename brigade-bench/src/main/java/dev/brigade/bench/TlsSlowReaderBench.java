package dev.brigade.bench;

import dev.brigade.dispatch.Bridges;
import dev.brigade.files.StaticFiles;
import dev.brigade.server.Server;
import dev.brigade.tls.TlsSettings;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * Slow TLS readers, measured on the server alone (the readers run in a second JVM, this class in
 * {@code --load} mode): N clients download a 50 MB file over TLS at 100 KB/s each from a server
 * whose handlers run on a pool of one worker. Reports the live heap and the resident set per
 * reader mid-download, and a fresh TLS client's latency (a full handshake and {@code GET
 * /hello.txt}, every 50 ms) meanwhile. With {@code --full} the readers read to the end and check
 * every byte against the file's SHA-256 (50 MB at 100 KB/s: about 9 minutes).
 *
 * <pre>
 *   ./brigade-bench/run-tls-slow [--readers 20] [--rate 100000] [--file-mb 50] [--window 20] [--full] [--loops N]
 * </pre>
 */
public final class TlsSlowReaderBench {

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("--load")) {
            Load.main(args);
            return;
        }
        int readers = 20;
        int rate = 100_000;
        long fileMb = 50;
        int window = 20;
        boolean full = false;
        int loops = Runtime.getRuntime().availableProcessors();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--readers" -> readers = Integer.parseInt(args[++i]);
                case "--rate" -> rate = Integer.parseInt(args[++i]);
                case "--file-mb" -> fileMb = Long.parseLong(args[++i]);
                case "--window" -> window = Integer.parseInt(args[++i]);
                case "--full" -> full = true;
                case "--loops" -> loops = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        Path dir = Files.createTempDirectory("brigade-tls-bench");
        Path site = Files.createDirectories(dir.resolve("site"));
        Files.writeString(site.resolve("hello.txt"), "hello, world\n");
        String sha = writeRandom(site.resolve("big.bin"), fileMb << 20);
        BenchCertificate cert = BenchCertificate.make(dir);
        SSLContext client = cert.clientContext();
        try (StaticFiles files = StaticFiles.builder(site).build()) {
            Server server = Server.builder().bind("127.0.0.1").port(0).loops(loops).bridge(Bridges.pool(1, 64))
                    .tls(TlsSettings.builder().pkcs12(cert.store(), cert.password()).build()).httpsPort(0)
                    .writeTimeout(Duration.ofSeconds(120))
                    .fallback(files).build().start();
            try {
                System.out.printf(Locale.ROOT, "tls-slow: %d readers of %d MB at %d B/s over TLS, pool of 1 worker, %d loops, JDK %s%n",
                        readers, fileMb, rate, loops, Runtime.version());
                // warm up first: the TLS stack's classes and compiled code are the process's, not the readers'
                for (int i = 0; i < 300; i++) {
                    probe(server.httpsPort(), client);
                }
                IdleConnectionsBench.Snapshot before = IdleConnectionsBench.Snapshot.take();
                Process load = startLoad(server.httpsPort(), readers, rate, full ? 3600 : window + 30, cert, sha);
                try (BufferedReader fromLoad = new BufferedReader(new InputStreamReader(load.getInputStream(), StandardCharsets.US_ASCII))) {
                    String line = fromLoad.readLine();
                    if (!"ready".equals(line)) {
                        throw new IllegalStateException("load process: " + line);
                    }
                    Thread.sleep(3000); // every reader in its steady state
                    List<Double> latencies = new ArrayList<>();
                    int failed = 0;
                    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(window);
                    IdleConnectionsBench.Snapshot during = null;
                    while (System.nanoTime() < end) {
                        double ms = probe(server.httpsPort(), client);
                        if (ms < 0) {
                            failed++;
                        } else {
                            latencies.add(ms);
                        }
                        if (during == null && latencies.size() + failed >= window * 10L) {
                            during = IdleConnectionsBench.Snapshot.take();
                        }
                        Thread.sleep(50);
                    }
                    if (during == null) {
                        during = IdleConnectionsBench.Snapshot.take();
                    }
                    latencies.sort(null);
                    System.out.printf(Locale.ROOT, "%8s %14s %14s %14s %8s %8s %8s %7s%n", "readers", "heap/conn B",
                            "RSS/conn B", "direct/conn B", "probes", "p50 ms", "p99 ms", "failed");
                    System.out.printf(Locale.ROOT, "%8d %,14d %,14d %,14d %8d %8.1f %8.1f %7d%n", readers,
                            (during.heapUsed() - before.heapUsed()) / readers, (during.rss() - before.rss()) / readers,
                            (during.directBytes() - before.directBytes()) / readers, latencies.size() + failed,
                            pct(latencies, 0.5), pct(latencies, 0.99), failed);
                    if (full) {
                        int ok = 0;
                        for (String l; (l = fromLoad.readLine()) != null; ) {
                            System.out.println("reader: " + l);
                            if (l.startsWith("byte-exact")) {
                                ok++;
                            }
                        }
                        System.out.printf(Locale.ROOT, "downloads byte-exact: %d of %d%n", ok, readers);
                    }
                } finally {
                    if (!full) {
                        load.destroy();
                    }
                    load.waitFor(full ? 3600 : 10, TimeUnit.SECONDS);
                    load.destroyForcibly();
                }
            } finally {
                server.stop(Duration.ofSeconds(5));
            }
        } finally {
            try (var paths = Files.walk(dir)) {
                for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    private static double pct(List<Double> sorted, double p) {
        return sorted.isEmpty() ? -1 : sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1));
    }

    /** A fresh TLS connection (a full handshake), one GET, read to the end; milliseconds, or -1. */
    private static double probe(int port, SSLContext ctx) {
        long t0 = System.nanoTime();
        try (Socket plain = new Socket()) {
            plain.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            plain.setSoTimeout(5000);
            try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket(plain, "localhost", port, true)) {
                s.getOutputStream().write("GET /hello.txt HTTP/1.1\r\nHost: b\r\nConnection: close\r\n\r\n"
                        .getBytes(StandardCharsets.US_ASCII));
                String text = new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
                return text.startsWith("HTTP/1.1 200") && text.endsWith("hello, world\n") ? (System.nanoTime() - t0) / 1e6 : -1;
            }
        } catch (IOException e) {
            return -1;
        }
    }

    private static String writeRandom(Path file, long size) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        byte[] buf = new byte[1 << 20];
        SplittableRandom r = new SplittableRandom(11);
        try (OutputStream out = Files.newOutputStream(file)) {
            for (long left = size; left > 0; ) {
                for (int i = 0; i < buf.length; i += 8) {
                    long v = r.nextLong();
                    for (int k = 0; k < 8; k++) {
                        buf[i + k] = (byte) (v >>> (8 * k));
                    }
                }
                int n = (int) Math.min(buf.length, left);
                out.write(buf, 0, n);
                md.update(buf, 0, n);
                left -= n;
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private static Process startLoad(int port, int readers, int rate, int seconds, BenchCertificate cert, String sha)
            throws IOException {
        String java = ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        return new ProcessBuilder(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                TlsSlowReaderBench.class.getName(), "--load", Integer.toString(port), Integer.toString(readers),
                Integer.toString(rate), Integer.toString(seconds), cert.store().toString(), cert.password(), sha)
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    /** The readers, in their own JVM: one virtual thread each, reading at the rate, bounded by a deadline. */
    static final class Load {

        static void main(String[] args) throws Exception {
            int port = Integer.parseInt(args[1]);
            int readers = Integer.parseInt(args[2]);
            int rate = Integer.parseInt(args[3]);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Long.parseLong(args[4]));
            SSLContext ctx = new BenchCertificate(Path.of(args[5]), args[6], null, null).clientContext();
            String sha = args[7];
            AtomicInteger started = new AtomicInteger();
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < readers; i++) {
                threads.add(Thread.ofVirtual().start(() -> {
                    String result;
                    try {
                        result = read(port, ctx, rate, deadline, started, sha);
                    } catch (Exception e) {
                        result = "failed: " + e;
                    }
                    synchronized (System.out) {
                        System.out.println(result);
                        System.out.flush();
                    }
                }));
            }
            while (started.get() < readers && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            synchronized (System.out) {
                System.out.println("ready");
                System.out.flush();
            }
            for (Thread t : threads) {
                t.join();
            }
        }

        private static String read(int port, SSLContext ctx, int rate, long deadline, AtomicInteger started, String sha)
                throws Exception {
            try (Socket plain = new Socket()) {
                plain.setReceiveBufferSize(64 * 1024); // a slow reader's window (at least one TLS record)
                plain.connect(new InetSocketAddress("127.0.0.1", port));
                plain.setSoTimeout(60_000);
                SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket(plain, "localhost", port, true);
                s.getOutputStream().write("GET /big.bin HTTP/1.1\r\nHost: b\r\nConnection: close\r\n\r\n"
                        .getBytes(StandardCharsets.US_ASCII));
                s.getOutputStream().flush();
                InputStream in = s.getInputStream();
                String head = readHead(in);
                started.incrementAndGet();
                long length = Long.parseLong(head.replaceAll("(?s).*Content-Length: (\\d+).*", "$1"));
                MessageDigest md = MessageDigest.getInstance("SHA-256");
                byte[] buf = new byte[Math.max(1024, rate / 10)];
                long t0 = System.nanoTime();
                long total = 0;
                while (total < length && System.nanoTime() < deadline) {
                    int n = in.read(buf, 0, (int) Math.min(buf.length, length - total));
                    if (n < 0) {
                        return "cut short at " + total + " of " + length;
                    }
                    md.update(buf, 0, n);
                    total += n;
                    long wait = t0 + total * 1_000_000_000L / rate - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(Duration.ofNanos(wait));
                    }
                }
                if (total < length) {
                    return "stopped at the deadline after " + total + " bytes";
                }
                String got = HexFormat.of().formatHex(md.digest());
                return got.equals(sha) ? "byte-exact " + total + " bytes" : "MISMATCH " + got;
            }
        }

        private static String readHead(InputStream in) throws IOException {
            StringBuilder sb = new StringBuilder();
            while (!sb.toString().endsWith("\r\n\r\n")) {
                int c = in.read();
                if (c < 0) {
                    throw new IOException("closed in the head");
                }
                sb.append((char) c);
            }
            return sb.toString();
        }
    }
}
