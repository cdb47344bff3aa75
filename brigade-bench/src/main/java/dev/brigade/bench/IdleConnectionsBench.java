package dev.brigade.bench;

import dev.brigade.server.Server;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.management.ObjectName;

/**
 * Idle keep-alive connections: what one costs the server, and whether the server still answers
 * new connections promptly while thousands sit idle.
 *
 * <pre>
 *   ./brigade-bench/run-idle [--conns 10000]                       (raises ulimit -n, builds, runs)
 *   java -cp brigade-bench/target/brigade-bench.jar dev.brigade.bench.IdleConnectionsBench [options]
 *
 *   --conns N        idle connections to open (10000)
 *   --loops N        server event loops (default: the server's, = available processors)
 *   --window N       connects in flight at once on the client (256)
 *   --probes N       fresh-connection requests timed before and with the idle connections (20)
 *   --reuse N        requests sent on N of the idle connections afterwards (100)
 *   --histo N        print the N classes whose live heap grew most (15; 0: off)
 *   --deadline S     the whole run is bounded by S seconds (180)
 *   --client-opts S  JVM options of the client process ("-Xmx512m -XX:+UseSerialGC")
 * </pre>
 *
 * <p>This process is the measured one: it runs only the Brigade server (bound to 127.0.0.1 on an
 * ephemeral port). The clients live in a second JVM ({@code --client} mode, started from this one
 * with the same java and class path, driven over its stdin/stdout), which opens the connections
 * with non-blocking {@link SocketChannel}s from one thread, sends one {@code GET /plaintext} on
 * each, reads the response and leaves the connection idle. So the heap, RSS, direct-memory and
 * thread figures below are the server's alone.
 *
 * <p>Measurements (before, with the connections idle, and after closing them): heap used after a
 * full GC (several {@code System.gc()} through the {@link java.lang.management.MemoryMXBean}),
 * committed heap, direct buffers ({@code java.nio:type=BufferPool,name=direct}), VmRSS from
 * {@code /proc/self/status}, the thread count of the process ({@code Threads:} in the same file:
 * JVM threads included) and the live Java threads. With {@code --histo}, the class histogram
 * (the {@code GC.class_histogram} diagnostic command) before and during is diffed, to show what
 * an idle connection is made of.
 */
public final class IdleConnectionsBench {

    private static final byte[] PLAINTEXT = "Hello, World!".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] REQUEST = ("GET /plaintext HTTP/1.1\r\nHost: localhost\r\n"
            + "Connection: keep-alive\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    private static final int WARMUP_CONNS = 64;
    private static final int WARMUP_REQUESTS_PER_CONN = 200;

    private IdleConnectionsBench() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("--client")) {
            Client.main(Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        Options o = Options.parse(args);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(o.deadlineSeconds);
        Thread watchdog = Thread.ofPlatform().daemon().name("idle-bench-watchdog").start(() -> {
            try {
                Thread.sleep(TimeUnit.SECONDS.toMillis(o.deadlineSeconds + 15));
                System.err.println("idle-bench: deadline passed, exiting");
                Runtime.getRuntime().halt(3);
            } catch (InterruptedException ignored) {
                // finished in time
            }
        });

        Server.Builder b = Server.builder().bind("127.0.0.1").port(0)
                .keepAlive(Duration.ofMinutes(5), Integer.MAX_VALUE)
                .get("/plaintext", (req, res) -> res.contentType("text/plain").send(PLAINTEXT));
        if (o.loops > 0) {
            b.loops(o.loops);
        }
        Server server = b.build().start();
        int port = server.port();
        PrintStream out = System.out;
        out.printf(Locale.ROOT, "idle-connections bench: server pid %d on 127.0.0.1:%d, %d idle connections, java %s, %s%n",
                ProcessHandle.current().pid(), port, o.conns, Runtime.version(),
                ManagementFactory.getRuntimeMXBean().getInputArguments());

        Process client = startClient(port, o);
        ClientLink link = new ClientLink(client, deadline);
        try {
            link.expect("READY");
            String warm = link.command("WARMUP " + WARMUP_CONNS + " " + WARMUP_REQUESTS_PER_CONN, "WARMED");
            out.println("client: " + warm);
            waitForConnections(server, 0, deadline);

            Map<String, long[]> histoBefore = o.histo > 0 ? histogram() : Map.of();
            Snapshot before = Snapshot.take();
            String probeBefore = link.command("PROBE " + o.probes, "PROBED");

            String opened = link.command("OPEN " + o.conns + " " + o.window, "OPENED");
            out.println("client: " + opened);
            Thread.sleep(1000); // let the loops finish registering and the client's last reads settle
            long serverOpen = server.connectionsOpen();
            Snapshot during = Snapshot.take();
            Map<String, long[]> histoDuring = o.histo > 0 ? histogram() : Map.of();
            String alive = link.command("ALIVE", "ALIVE");

            String probeDuring = link.command("PROBE " + o.probes, "PROBED");
            String reuse = link.command("REUSE " + o.reuse, "REUSED");
            String aliveEnd = link.command("ALIVE", "ALIVE");
            link.command("CLOSE", "CLOSED");
            waitForConnections(server, 0, deadline);
            Snapshot after = Snapshot.take();

            long n = Math.max(1, serverOpen);
            out.println();
            out.printf(Locale.ROOT, "%-34s %14s %14s %14s%n", "", "before", "idle open", "after close");
            row(out, "heap used after GC (bytes)", before.heapUsed, during.heapUsed, after.heapUsed);
            row(out, "heap committed (bytes)", before.heapCommitted, during.heapCommitted, after.heapCommitted);
            row(out, "direct buffers (bytes)", before.directBytes, during.directBytes, after.directBytes);
            row(out, "RSS (bytes)", before.rss, during.rss, after.rss);
            row(out, "process threads (/proc)", before.osThreads, during.osThreads, after.osThreads);
            row(out, "live Java threads", before.javaThreads, during.javaThreads, after.javaThreads);
            out.println();
            out.printf(Locale.ROOT, "server connections open: %d of %d (client: %s; %s)%n",
                    serverOpen, o.conns, opened, alive);
            out.printf(Locale.ROOT, "heap per idle connection:   %,.0f bytes%n", (during.heapUsed - before.heapUsed) / (double) n);
            out.printf(Locale.ROOT, "direct per idle connection: %,.0f bytes%n", (during.directBytes - before.directBytes) / (double) n);
            out.printf(Locale.ROOT, "RSS per idle connection:    %,.0f bytes (includes heap growth: committed %+,d bytes)%n",
                    (during.rss - before.rss) / (double) n, during.heapCommitted - before.heapCommitted);
            out.printf(Locale.ROOT, "threads added: %d (process), %d (Java)%n",
                    during.osThreads - before.osThreads, during.javaThreads - before.javaThreads);
            out.println("new connection, 1 request, before: " + probeBefore);
            out.println("new connection, 1 request, idle:   " + probeDuring);
            out.println("request on idle connections:       " + reuse + " (then " + aliveEnd + ")");
            if (o.histo > 0) {
                printHistogramDelta(out, histoBefore, histoDuring, n, o.histo);
            }
        } finally {
            link.close();
            server.stop(Duration.ofSeconds(2));
            watchdog.interrupt();
        }
    }

    private static void row(PrintStream out, String label, long a, long b, long c) {
        out.printf(Locale.ROOT, "%-34s %,14d %,14d %,14d%n", label, a, b, c);
    }

    private static Process startClient(int port, Options o) throws IOException {
        String java = ProcessHandle.current().info().command().orElse(
                Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> cmd = new ArrayList<>();
        cmd.add(java);
        cmd.addAll(Arrays.asList(o.clientOpts.trim().split("\\s+")));
        cmd.removeIf(String::isEmpty);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(IdleConnectionsBench.class.getName());
        cmd.add("--client");
        cmd.add(Integer.toString(port));
        return new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    private static void waitForConnections(Server server, long target, long deadline) throws InterruptedException {
        long until = Math.min(deadline, System.nanoTime() + TimeUnit.SECONDS.toNanos(10));
        while (server.connectionsOpen() > target && System.nanoTime() < until) {
            Thread.sleep(20);
        }
    }

    /** The class histogram of live objects (after a full GC): class name to {instances, bytes}. */
    private static Map<String, long[]> histogram() {
        Map<String, long[]> m = new HashMap<>();
        try {
            String text = (String) ManagementFactory.getPlatformMBeanServer().invoke(
                    new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
                    new Object[] {new String[0]}, new String[] {String[].class.getName()});
            for (String line : text.split("\n")) {
                String[] f = line.trim().split("\\s+");
                // "  1:   12345   678900  java.lang.String (java.base@25)"
                if (f.length >= 4 && f[0].endsWith(":")) {
                    m.put(f[3], new long[] {Long.parseLong(f[1]), Long.parseLong(f[2])});
                }
            }
        } catch (Exception e) {
            System.err.println("idle-bench: no class histogram: " + e);
        }
        return m;
    }

    private static void printHistogramDelta(PrintStream out, Map<String, long[]> before, Map<String, long[]> during,
            long conns, int top) {
        record Delta(String cls, long instances, long bytes) {
        }
        List<Delta> deltas = new ArrayList<>();
        long total = 0;
        for (Map.Entry<String, long[]> e : during.entrySet()) {
            long[] b = before.getOrDefault(e.getKey(), new long[2]);
            long di = e.getValue()[0] - b[0];
            long db = e.getValue()[1] - b[1];
            total += db;
            if (db > 0) {
                deltas.add(new Delta(e.getKey(), di, db));
            }
        }
        for (Map.Entry<String, long[]> e : before.entrySet()) {
            if (!during.containsKey(e.getKey())) {
                total -= e.getValue()[1];
            }
        }
        deltas.sort((x, y) -> Long.compare(y.bytes, x.bytes));
        out.println();
        out.printf(Locale.ROOT, "live heap growth by class (class histogram, idle open - before), %,.0f bytes per connection in all:%n",
                total / (double) conns);
        out.printf(Locale.ROOT, "  %12s %12s %10s %10s  %s%n", "instances", "bytes", "inst/conn", "B/conn", "class");
        for (Delta d : deltas.subList(0, Math.min(top, deltas.size()))) {
            out.printf(Locale.ROOT, "  %,12d %,12d %10.2f %10.1f  %s%n", d.instances, d.bytes,
                    d.instances / (double) conns, d.bytes / (double) conns, d.cls);
        }
    }

    /** Memory and threads of this process at one moment, heap after full GCs. */
    record Snapshot(long heapUsed, long heapCommitted, long directBytes, long rss, long osThreads,
            long javaThreads) {

        static Snapshot take() throws InterruptedException {
            var mem = ManagementFactory.getMemoryMXBean();
            long used = Long.MAX_VALUE;
            MemoryUsage u = null;
            for (int i = 0; i < 4; i++) { // several: references cleared in one GC are collected in the next
                mem.gc();
                Thread.sleep(100);
                u = mem.getHeapMemoryUsage();
                used = Math.min(used, u.getUsed());
            }
            long direct = 0;
            for (BufferPoolMXBean p : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
                if (p.getName().equals("direct")) {
                    direct = p.getMemoryUsed();
                }
            }
            Map<String, Long> status = procStatus();
            return new Snapshot(used, u.getCommitted(), direct, status.getOrDefault("VmRSS", -1L),
                    status.getOrDefault("Threads", -1L), ManagementFactory.getThreadMXBean().getThreadCount());
        }

        private static Map<String, Long> procStatus() {
            Map<String, Long> m = new HashMap<>();
            try {
                for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                    int colon = line.indexOf(':');
                    if (colon < 0) {
                        continue;
                    }
                    String key = line.substring(0, colon);
                    String[] v = line.substring(colon + 1).trim().split("\\s+");
                    if (key.equals("VmRSS") && v.length == 2 && v[1].equals("kB")) {
                        m.put(key, Long.parseLong(v[0]) * 1024);
                    } else if (key.equals("Threads")) {
                        m.put(key, Long.parseLong(v[0]));
                    }
                }
            } catch (IOException | NumberFormatException e) {
                System.err.println("idle-bench: cannot read /proc/self/status: " + e);
            }
            return m;
        }
    }

    /** The server side of the conversation with the client process: one command line, one answer line. */
    private static final class ClientLink implements AutoCloseable {
        private final Process process;
        private final BufferedReader in;
        private final PrintStream toClient;
        private final long deadline;

        ClientLink(Process process, long deadline) {
            this.process = process;
            this.in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            this.toClient = new PrintStream(process.getOutputStream(), true, StandardCharsets.UTF_8);
            this.deadline = deadline;
        }

        String command(String cmd, String answer) throws IOException {
            toClient.println(cmd);
            return expect(answer);
        }

        /** Reads lines until one starts with {@code word}; returns the rest of it. */
        String expect(String word) throws IOException {
            while (true) {
                if (System.nanoTime() > deadline) {
                    throw new IOException("deadline passed waiting for the client's " + word);
                }
                String line = in.readLine();
                if (line == null) {
                    throw new IOException("client process ended while waiting for " + word);
                }
                if (line.startsWith(word)) {
                    return line.substring(word.length()).trim();
                }
                System.out.println("client: " + line);
            }
        }

        @Override
        public void close() {
            toClient.close();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }

    private record Options(int conns, int loops, int window, int probes, int reuse, int histo, int deadlineSeconds,
            String clientOpts) {

        static Options parse(String[] args) {
            int conns = 10_000;
            int loops = 0;
            int window = 256;
            int probes = 20;
            int reuse = 100;
            int histo = 15;
            int deadline = 180;
            String clientOpts = "-Xmx512m -XX:+UseSerialGC";
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--conns" -> conns = Integer.parseInt(args[++i]);
                    case "--loops" -> loops = Integer.parseInt(args[++i]);
                    case "--window" -> window = Integer.parseInt(args[++i]);
                    case "--probes" -> probes = Integer.parseInt(args[++i]);
                    case "--reuse" -> reuse = Integer.parseInt(args[++i]);
                    case "--histo" -> histo = Integer.parseInt(args[++i]);
                    case "--deadline" -> deadline = Integer.parseInt(args[++i]);
                    case "--client-opts" -> clientOpts = args[++i];
                    default -> {
                        System.err.println("usage: IdleConnectionsBench [--conns N] [--loops N] [--window N] [--probes N]"
                                + " [--reuse N] [--histo N] [--deadline S] [--client-opts 'JVM OPTIONS']");
                        System.exit(2);
                    }
                }
            }
            return new Options(conns, loops, window, probes, reuse, histo, deadline, clientOpts);
        }
    }

    /**
     * The client process: reads commands on stdin, answers one line each on stdout.
     * WARMUP C R, PROBE N, OPEN N WINDOW, ALIVE, REUSE N, CLOSE. All sockets go to 127.0.0.1.
     */
    static final class Client {
        private final InetSocketAddress server;
        private final List<SocketChannel> idle = new ArrayList<>();

        private Client(int port) {
            this.server = new InetSocketAddress("127.0.0.1", port);
        }

        static void main(String[] args) throws Exception {
            Client c = new Client(Integer.parseInt(args[0]));
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            System.out.println("READY");
            System.out.flush();
            String line;
            while ((line = in.readLine()) != null) {
                String[] f = line.trim().split("\\s+");
                String answer = switch (f[0]) {
                    case "WARMUP" -> "WARMED " + c.warmup(Integer.parseInt(f[1]), Integer.parseInt(f[2]));
                    case "PROBE" -> "PROBED " + c.probe(Integer.parseInt(f[1]));
                    case "OPEN" -> "OPENED " + c.open(Integer.parseInt(f[1]), Integer.parseInt(f[2]));
                    case "ALIVE" -> "ALIVE " + c.alive() + " of " + c.idle.size() + " client-side still open";
                    case "REUSE" -> "REUSED " + c.reuse(Integer.parseInt(f[1]));
                    case "CLOSE" -> "CLOSED " + c.closeAll();
                    default -> "ERROR unknown command " + f[0];
                };
                System.out.println(answer);
                System.out.flush();
                if (f[0].equals("CLOSE")) {
                    break;
                }
            }
            c.closeAll();
        }

        /** One request on a connected channel, bounded by 2 s; latency in ns, or -1. Leaves it non-blocking. */
        private static long request(SocketChannel ch) {
            long t0 = System.nanoTime();
            long until = t0 + TimeUnit.SECONDS.toNanos(2);
            try (Selector sel = Selector.open()) {
                ch.configureBlocking(false);
                ByteBuffer req = ByteBuffer.wrap(REQUEST);
                ByteBuffer buf = ByteBuffer.allocate(4096);
                SelectionKey key = ch.register(sel, SelectionKey.OP_WRITE);
                while (System.nanoTime() < until) {
                    sel.select(Math.max(1, (until - System.nanoTime()) / 1_000_000));
                    sel.selectedKeys().clear();
                    if (req.hasRemaining()) {
                        ch.write(req);
                        if (!req.hasRemaining()) {
                            key.interestOps(SelectionKey.OP_READ);
                        }
                        continue;
                    }
                    if (ch.read(buf) < 0) {
                        return -1;
                    }
                    int status = complete(buf);
                    if (status == 200) {
                        return System.nanoTime() - t0;
                    }
                    if (status > 0 || !buf.hasRemaining()) {
                        return -1;
                    }
                }
                return -1;
            } catch (IOException e) {
                return -1;
            }
        }

        private String warmup(int conns, int requestsEach) throws IOException {
            long ok = 0;
            long t0 = System.nanoTime();
            for (int i = 0; i < conns; i++) {
                try (SocketChannel ch = SocketChannel.open(server)) {
                    for (int r = 0; r < requestsEach; r++) {
                        if (request(ch) > 0) {
                            ok++;
                        }
                    }
                }
            }
            return String.format(Locale.ROOT, "%d requests ok on %d connections in %.1f s", ok, conns,
                    (System.nanoTime() - t0) / 1e9);
        }

        /** N fresh connections, one at a time: connect + request + response, timed. */
        private String probe(int n) throws InterruptedException {
            List<Double> ms = new ArrayList<>();
            int failed = 0;
            for (int i = 0; i < n; i++) {
                long t0 = System.nanoTime();
                long lat;
                try (SocketChannel ch = SocketChannel.open()) {
                    ch.socket().connect(server, 2000);
                    lat = request(ch);
                } catch (IOException e) {
                    lat = -1;
                }
                if (lat < 0) {
                    failed++;
                } else {
                    ms.add((System.nanoTime() - t0) / 1e6);
                }
                Thread.sleep(20);
            }
            return stats(ms, failed);
        }

        private static String stats(List<Double> ms, int failed) {
            if (ms.isEmpty()) {
                return "ok 0, failed " + failed;
            }
            ms.sort(null);
            return String.format(Locale.ROOT, "ok %d, failed %d, p50 %.3f ms, max %.3f ms", ms.size(), failed,
                    ms.get(ms.size() / 2), ms.get(ms.size() - 1));
        }

        private static final class Pending {
            final long started = System.nanoTime();
            ByteBuffer buf;
        }

        /** Opens n connections, at most window connecting or waiting for their response at once. */
        private String open(int n, int window) throws IOException {
            long t0 = System.nanoTime();
            int started = 0;
            int inflight = 0;
            int connectFailed = 0;
            int closed = 0;
            int timedOut = 0;
            int badResponse = 0;
            long giveUp = t0 + TimeUnit.SECONDS.toNanos(90);
            try (Selector sel = Selector.open()) {
                while ((started < n || inflight > 0) && System.nanoTime() < giveUp) {
                    while (inflight < window && started < n) {
                        started++;
                        SocketChannel ch = SocketChannel.open();
                        ch.configureBlocking(false);
                        try {
                            if (ch.connect(server)) {
                                ch.write(ByteBuffer.wrap(REQUEST));
                                ch.register(sel, SelectionKey.OP_READ, new Pending());
                            } else {
                                ch.register(sel, SelectionKey.OP_CONNECT, new Pending());
                            }
                            inflight++;
                        } catch (IOException e) {
                            connectFailed++;
                            ch.close();
                        }
                    }
                    sel.select(100);
                    Iterator<SelectionKey> it = sel.selectedKeys().iterator();
                    while (it.hasNext()) {
                        SelectionKey k = it.next();
                        it.remove();
                        SocketChannel ch = (SocketChannel) k.channel();
                        Pending p = (Pending) k.attachment();
                        int outcome = 0; // 0 pending, 1 idle, <0 failed
                        try {
                            if (k.isConnectable()) {
                                ch.finishConnect();
                                ch.write(ByteBuffer.wrap(REQUEST)); // 60 bytes: fits an empty socket buffer
                                k.interestOps(SelectionKey.OP_READ);
                            } else if (k.isReadable()) {
                                if (p.buf == null) {
                                    p.buf = ByteBuffer.allocate(1024);
                                }
                                if (ch.read(p.buf) < 0) {
                                    outcome = -1;
                                    closed++;
                                } else {
                                    int status = complete(p.buf);
                                    if (status == 200) {
                                        outcome = 1;
                                    } else if (status > 0 || !p.buf.hasRemaining()) {
                                        outcome = -2;
                                        badResponse++;
                                    }
                                }
                            }
                        } catch (IOException e) {
                            outcome = -3;
                            connectFailed++;
                        }
                        if (outcome != 0) {
                            k.cancel();
                            inflight--;
                            if (outcome == 1) {
                                idle.add(ch);
                            } else {
                                ch.close();
                            }
                        }
                    }
                    long now = System.nanoTime();
                    for (SelectionKey k : sel.keys()) {
                        if (k.isValid() && now - ((Pending) k.attachment()).started > TimeUnit.SECONDS.toNanos(10)) {
                            k.cancel();
                            k.channel().close();
                            inflight--;
                            timedOut++;
                        }
                    }
                }
                for (SelectionKey k : sel.keys()) {
                    if (k.isValid()) {
                        k.cancel();
                        k.channel().close();
                        timedOut++;
                    }
                }
                sel.selectNow(); // flush the cancelled keys: the idle channels are registered nowhere
            }
            return String.format(Locale.ROOT, "%d idle in %.1f s (connect failed %d, closed %d, bad response %d, timed out %d, not started %d)",
                    idle.size(), (System.nanoTime() - t0) / 1e9, connectFailed, closed, badResponse, timedOut, n - started);
        }

        /** Idle connections that are still open: a non-blocking read returns 0, not -1. */
        private int alive() {
            int n = 0;
            ByteBuffer one = ByteBuffer.allocate(1);
            for (SocketChannel ch : idle) {
                try {
                    one.clear();
                    if (ch.read(one) >= 0) {
                        n++;
                    }
                } catch (IOException e) {
                    // reset: not alive
                }
            }
            return n;
        }

        /** One more request on n of the idle connections, spread over the set. */
        private String reuse(int n) {
            List<Double> ms = new ArrayList<>();
            int failed = 0;
            if (idle.isEmpty() || n <= 0) {
                return "none";
            }
            int step = Math.max(1, idle.size() / n);
            for (int i = 0; i < idle.size() && ms.size() + failed < n; i += step) {
                SocketChannel ch = idle.get(i);
                long lat;
                lat = request(ch);
                if (lat < 0) {
                    failed++;
                } else {
                    ms.add(lat / 1e6);
                }
            }
            return stats(ms, failed);
        }

        private String closeAll() {
            int n = idle.size();
            for (SocketChannel ch : idle) {
                try {
                    ch.close();
                } catch (IOException ignored) {
                    // closing anyway
                }
            }
            idle.clear();
            return Integer.toString(n);
        }

        /**
         * 0 while the response in {@code buf} (write mode) is incomplete; its status once complete.
         * Content-Length framing only, which is what /plaintext gets.
         */
        private static int complete(ByteBuffer buf) {
            byte[] a = buf.array();
            int len = buf.position();
            int end = -1;
            for (int i = 3; i < len; i++) {
                if (a[i] == '\n' && a[i - 1] == '\r' && a[i - 2] == '\n' && a[i - 3] == '\r') {
                    end = i + 1;
                    break;
                }
            }
            if (end < 0) {
                return 0;
            }
            String head = new String(a, 0, end, StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
            int status = Integer.parseInt(head.substring(9, 12));
            int cl = head.indexOf("\r\ncontent-length:");
            long bodyLen = 0;
            if (cl >= 0) {
                int eol = head.indexOf("\r\n", cl + 2);
                bodyLen = Long.parseLong(head.substring(cl + 17, eol).trim());
            }
            return len - end >= bodyLen ? status : 0;
        }
    }
}
