package dev.brigade.server;

import dev.brigade.api.Handler;
import dev.brigade.api.Transaction;
import dev.brigade.conn.Connection;
import dev.brigade.conn.ConnectionConfig;
import dev.brigade.conn.LoopContext;
import dev.brigade.conn.ServerContext;
import dev.brigade.dispatch.Bridge;
import dev.brigade.dispatch.Bridges;
import dev.brigade.filter.RequestFilters;
import dev.brigade.filter.ResponseFilters;
import dev.brigade.http1.Limits;
import dev.brigade.loop.EventLoop;
import dev.brigade.net.IoBackend;
import dev.brigade.net.ListenSocket;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * An HTTP/1.1 server: listening socket, event loops, virtual hosts and a bridge, composed.
 *
 * <pre>{@code
 * Server server = Server.builder()
 *         .port(8080)
 *         .get("/hello", (req, res) -> res.send("Hello"))
 *         .virtualHost("api.example.com", vh -> vh.get("/users/{id}", users::get))
 *         .build()
 *         .start();
 * ...
 * server.stop(Duration.ofSeconds(10));
 * }</pre>
 *
 * Lifecycle: {@link #start()} once, then {@link #stop(Duration)} once (graceful: stop accepting,
 * close idle connections, let responses in flight finish, then close what remains at the deadline).
 */
public final class Server implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(Server.class.getName());

    private final InetSocketAddress bindAddress;
    private final InetSocketAddress httpsAddress; // null: no TLS port
    private final dev.brigade.tls.TlsSettings tlsSettings;
    private final int loopCount;
    private final int acceptBacklog;
    private final ServerContext context;
    private volatile Sites.VirtualHosts hosts;
    private final int httpsPortAsked; // as the builder asked (-1: default), to tell a reload what it cannot change
    private final List<EventLoop> loops = new ArrayList<>();
    private final List<Listener> listeners = new ArrayList<>();
    private final List<AutoCloseable> closeOnStop = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final List<Retired> retired = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final java.util.concurrent.atomic.AtomicLong generation = new java.util.concurrent.atomic.AtomicLong(1);
    private final List<LoopContext> loopContexts = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final StatsCollector statsCollector = new StatsCollector();
    private final SocketTransport transportAsked;
    private IoBackend backend; // chosen at start
    private ListenSocket serverChannel;
    private ListenSocket httpsChannel;
    private dev.brigade.tls.TlsContext tls;
    private volatile InetSocketAddress boundAddress; // kept: the channel cannot tell it once closed
    private volatile InetSocketAddress boundHttpsAddress;
    private volatile boolean started;
    private volatile boolean stopped;

    private Server(Builder b) {
        this.bindAddress = b.bindAddress;
        this.tlsSettings = b.tls == null ? null : withHostCertificates(b.tls, b);
        if (b.httpsPort >= 0 && b.tls == null) {
            throw new IllegalArgumentException("an HTTPS port needs TLS settings (Builder.tls)");
        }
        this.httpsAddress = b.tls == null ? null
                : new InetSocketAddress(bindAddress.getAddress(), b.httpsPort >= 0 ? b.httpsPort : 8443);
        this.loopCount = b.loops;
        this.closeOnStop.addAll(b.closeOnStop);
        this.acceptBacklog = b.acceptBacklog;
        this.hosts = sitesOf(b);
        this.context = new ServerContext(b.config, hosts, b.bridge, b.transactionDone);
        context.compression(b.compressionLevel, b.compressionMinBytes);
        context.bandwidthLimit(b.bandwidthLimit);
        context.connectionInputFilters(b.inputFilters);
        this.httpsPortAsked = b.httpsPort;
        this.transportAsked = b.transport != null ? b.transport : SocketTransport.fromSystemProperty();
    }

    /** A builder's virtual hosts as connections see them. */
    private Sites.VirtualHosts sitesOf(Builder b) {
        Sites.VirtualHosts sites = Sites.VirtualHosts.of(b.defaultHost, b.hosts, b.bridge, List.copyOf(b.filters),
                List.copyOf(b.bodyFilters));
        if (b.redirectToHttps) {
            if (httpsAddress == null) {
                throw new IllegalArgumentException("redirecting to HTTPS needs an HTTPS port");
            }
            sites = sites.redirecting(new Sites.HttpsRedirect(Bridges.inline(), this::httpsPort));
        }
        return sites;
    }

    /**
     * Applies what another builder describes to the running server (as a SIGHUP does): its virtual
     * hosts with their routes, fallbacks, filters and certificates' names, its bridge, transaction hook,
     * compression and bandwidth limit. Requests that arrive from now on see the new sites; requests
     * already routed finish under the old ones. Bridges the new sites no longer use are shut down once
     * the work already given to them is done, and the old {@link Builder#closeOnStop} resources are
     * closed then. A bridge object kept from one configuration to the next is not restarted.
     *
     * <p>The addresses, the number of loops, the TLS settings and the connection limits stay as they
     * were started (they need a restart); the returned list names those the new builder changes, for
     * the caller to report. The certificates themselves are reloaded by {@link #reloadCertificates()}.
     */
    public synchronized List<String> reload(Builder next) {
        if (!started || stopped) {
            throw new IllegalStateException("only a running server can be reloaded");
        }
        List<String> needRestart = new ArrayList<>();
        if (!next.bindAddress.equals(bindAddress)) {
            needRestart.add("address " + next.bindAddress);
        }
        if (next.loops != loopCount) {
            needRestart.add("loops " + next.loops);
        }
        if ((next.transport != null ? next.transport : SocketTransport.fromSystemProperty()) != transportAsked) {
            needRestart.add("transport");
        }
        if ((next.tls == null) != (tlsSettings == null) || next.httpsPort != httpsPortAsked) {
            needRestart.add("HTTPS port");
        }
        if (!next.config.equals(context.config())) {
            needRestart.add("connection limits and timeouts");
        }
        Sites.VirtualHosts before = hosts;
        Sites.VirtualHosts after = sitesOf(next);
        java.util.Set<Bridge> oldBridges = before.bridges();
        java.util.Set<Bridge> newBridges = after.bridges();
        for (Bridge b : newBridges) {
            if (!oldBridges.contains(b)) {
                b.serverInit();
            }
        }
        oldBridges.removeAll(newBridges);
        List<AutoCloseable> oldResources = List.copyOf(closeOnStop);
        closeOnStop.clear();
        closeOnStop.addAll(next.closeOnStop);
        oldResources = oldResources.stream().filter(r -> !next.closeOnStop.contains(r)).toList();
        context.compression(next.compressionLevel, next.compressionMinBytes);
        context.bandwidthLimit(next.bandwidthLimit);
        hosts = after;
        context.reconfigure(after, next.bridge, next.transactionDone);
        long gen = generation.incrementAndGet();
        Retired old = new Retired(List.copyOf(oldBridges), oldResources);
        retired.add(old);
        Thread.ofPlatform().daemon().name("brigade-retire-" + (gen - 1)).start(() -> {
            onEveryLoop((loop, i) -> { }); // a loop that picked an old site before the swap has dispatched by now
            old.retireWhenIdle(Duration.ofMinutes(10));
            retired.remove(old);
        });
        LOG.log(System.Logger.Level.INFO, () -> "configuration " + gen + " in use"
                + (needRestart.isEmpty() ? "" : "; kept until a restart: " + String.join(", ", needRestart)));
        return needRestart;
    }

    /** How many configurations this server has had: 1 at start, one more per {@link #reload}. */
    public long configGeneration() {
        return generation.get();
    }

    /** The bridges and resources of a configuration replaced by a reload, waiting for their last requests. */
    private record Retired(List<Bridge> bridges, List<AutoCloseable> resources) {

        /** Waits (up to {@code max}) until no old bridge has work, then shuts them down and closes the resources. */
        void retireWhenIdle(Duration max) {
            long deadline = System.nanoTime() + max.toNanos();
            for (Bridge b : bridges) {
                while (busy(b) && System.nanoTime() < deadline) {
                    sleepMillis(50);
                }
                b.shutdown(Duration.ofSeconds(5));
            }
            closeAll(resources);
        }

        private static boolean busy(Bridge b) {
            var s = b.stats();
            return s.busy() > 0 || s.queued() > 0;
        }
    }

    private static void closeAll(List<AutoCloseable> resources) {
        for (AutoCloseable c : resources) {
            try {
                c.close();
            } catch (Exception e) {
                LOG.log(System.Logger.Level.WARNING, "closing " + c + ": " + e.getMessage());
            }
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The server's TLS settings plus each virtual host's certificate, by every name of the host. */
    private static dev.brigade.tls.TlsSettings withHostCertificates(dev.brigade.tls.TlsSettings base, Builder b) {
        var hostCerts = new java.util.LinkedHashMap<String, dev.brigade.tls.CertificateSource>();
        b.hosts.forEach((name, vh) -> {
            if (vh.certificate() != null) {
                hostCerts.put(name, vh.certificate());
            }
        });
        if (hostCerts.isEmpty()) {
            return base;
        }
        var sb = dev.brigade.tls.TlsSettings.builder()
                .certificate(base.certificate())
                .protocols(base.protocols().toArray(String[]::new))
                .applicationProtocols(base.applicationProtocols().toArray(String[]::new))
                .reloadCheck(base.reloadCheck());
        base.sni().forEach(sb::sni);
        hostCerts.forEach(sb::sni);
        return sb.build();
    }

    private ListenSocket listen(InetSocketAddress address) {
        try {
            return backend.listen(address, acceptBacklog); // SO_REUSEADDR, non-blocking
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + address, e);
        }
    }

    /** Binds, starts the bridge and the loops, and begins accepting. */
    public synchronized Server start() {
        if (started) {
            throw new IllegalStateException("server already started");
        }
        backend = transportAsked.resolve(); // an explicit epoll that cannot run here fails now, before anything opens
        started = true;
        if (tlsSettings != null) {
            tls = dev.brigade.tls.TlsContext.start(tlsSettings); // a bad certificate fails here, before any port is taken
        }
        try {
            serverChannel = listen(bindAddress);
            boundAddress = serverChannel.localAddress();
            if (httpsAddress != null) {
                httpsChannel = listen(httpsAddress);
                boundHttpsAddress = httpsChannel.localAddress();
            }
        } catch (RuntimeException e) {
            closeQuietly();
            if (tls != null) {
                tls.close();
            }
            throw e;
        }
        hosts.bridges().forEach(Bridge::serverInit);
        CountDownLatch registered = new CountDownLatch(loopCount);
        int perLoop = httpsChannel == null ? 1 : 2;
        List<LoopContext> contexts = loopContexts;
        for (int i = 0; i < loopCount; i++) {
            EventLoop loop = new EventLoop(i, backend);
            loops.add(loop);
            contexts.add(new LoopContext(loop, context));
        }
        Listener.Spread spread = new Listener.Spread(List.copyOf(contexts));
        for (LoopContext lc : contexts) {
            EventLoop loop = lc.loop();
            List<Listener> mine = new ArrayList<>(perLoop);
            mine.add(new Listener(serverChannel, lc, context, spread, null));
            if (httpsChannel != null) {
                mine.add(new Listener(httpsChannel, lc, context, spread, tls));
            }
            listeners.addAll(mine);
            loop.start();
            loop.execute(() -> {
                try {
                    for (Listener l : mine) {
                        l.register();
                    }
                } catch (IOException e) {
                    LOG.log(System.Logger.Level.ERROR, "loop " + loop.index() + " cannot accept", e);
                } finally {
                    registered.countDown();
                }
            });
        }
        EventLoop first = loops.getFirst();
        first.execute(() -> sampleEverySecond(first));
        try {
            registered.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LOG.log(System.Logger.Level.INFO, () -> "listening on " + address()
                + (boundHttpsAddress != null ? " and " + boundHttpsAddress + " (TLS)" : "") + " with " + loopCount
                + " loops, bridge " + context.bridge().name() + ", transport " + transportLine());
        return this;
    }

    /** False once a graceful stop began: no new connections, requests that complete get 503. */
    public boolean acceptingConnections() {
        return started && !context.draining();
    }

    /** The TLS port's address actually bound, or null if the server has none. */
    public InetSocketAddress httpsAddress() {
        return boundHttpsAddress;
    }

    /** The TLS port, or -1 if the server has none. */
    public int httpsPort() {
        InetSocketAddress a = boundHttpsAddress;
        return a == null ? -1 : a.getPort();
    }

    /** The TLS port's counters, or null if the server has none. */
    public dev.brigade.tls.TlsStats tlsStats() {
        return tls == null ? null : tls.stats();
    }

    /**
     * Loads the certificate files again now (as on SIGHUP; replaced files are also picked up by a
     * periodic check). New handshakes use the new certificates, open connections keep theirs; a bad
     * file is logged and the old certificates stay. Returns false in that case, or without TLS.
     */
    public boolean reloadCertificates() {
        return tls != null && tls.reloadCertificates();
    }

    /** The address actually bound (with the real port when 0 was asked for). */
    public InetSocketAddress address() {
        if (boundAddress == null) {
            throw new IllegalStateException("server not started");
        }
        return boundAddress;
    }

    public int port() {
        return address().getPort();
    }

    /** The transport the server runs on, {@code nio} or {@code epoll}, once started. */
    public String transport() {
        if (backend == null) {
            throw new IllegalStateException("server not started");
        }
        return backend.name();
    }

    /** The transport for the start-up line: which one, and why auto did not pick epoll. */
    private String transportLine() {
        String name = backend.name();
        if (name.equals("epoll")) {
            return dev.brigade.net.epoll.EpollBackend.zeroCopyFiles() ? "epoll" : "epoll (files copied: no sendfile without --add-opens java.base/sun.nio.ch)";
        }
        String why = transportAsked == SocketTransport.AUTO ? SocketTransport.autoFallbackReason() : null;
        return why == null ? name : name + " (epoll unavailable: " + why + ")";
    }

    /** Open connections, for tests and the status page. */
    public long connectionsOpen() {
        return context.connectionsOpen();
    }

    /**
     * Read buffers lent to connections right now, over all loops: connections reading a request
     * or a body hold one; idle keep-alive connections hold none.
     */
    public long readBuffersInUse() {
        long n = 0;
        for (LoopContext lc : loopContexts) {
            n += lc.readBuffers().stats().inUse();
        }
        return n;
    }

    /** The server bridge's counters: threads, busy, idle, queued, rejected (503s), completed. */
    public dev.brigade.dispatch.BridgeStats bridgeStats() {
        return context.bridge().stats();
    }

    public long requestsServed() {
        return context.requestsServed();
    }

    /**
     * What the server is doing now: connections per state and traffic per loop, recent rates, the
     * bridges' occupancy (see {@link ServerStats}). Reads the loops' counters without stopping them;
     * cheap enough for a status page or a metrics scrape, not meant for every request.
     */
    public ServerStats stats() {
        if (!started) {
            throw new IllegalStateException("server not started");
        }
        List<Bridge> bridges = new ArrayList<>();
        bridges.add(context.bridge()); // the server's own first, then each host's and route's
        for (Bridge b : hosts.bridges()) {
            if (b != context.bridge()) {
                bridges.add(b);
            }
        }
        return statsCollector.snapshot(loopStats(), bridges, context.draining(), context.staleCompletions());
    }

    private List<dev.brigade.conn.LoopStats> loopStats() {
        return loopContexts.stream().map(LoopContext::stats).toList();
    }

    /** The rate windows' history: one sample a second, on loop 0, for as long as the loop runs. */
    private void sampleEverySecond(EventLoop loop) {
        loop.schedule(Duration.ofSeconds(1), () -> {
            statsCollector.sample(loopStats());
            sampleEverySecond(loop);
        });
    }

    /** Completions dropped because their connection closed first. */
    public long staleCompletions() {
        return context.staleCompletions();
    }

    /**
     * Graceful stop: accept no more, close idle connections at once, let in-flight responses finish,
     * and close whatever is left when {@code grace} runs out. Returns true if nothing had to be cut.
     */
    public synchronized boolean stop(Duration grace) {
        if (!started || stopped) {
            return true;
        }
        stopped = true;
        long deadline = System.nanoTime() + grace.toNanos();
        context.startDraining();
        onEveryLoop((loop, i) -> {
            listeners.stream().filter(l -> l.loopIndex() == i).forEach(Listener::stop);
            loop.forEachHandler(h -> {
                if (h instanceof Connection c) {
                    c.closeIfIdle();
                }
            });
        });
        closeQuietly();
        while (context.connectionsOpen() > 0 && System.nanoTime() < deadline) {
            sleepMillis(10);
        }
        boolean clean = context.connectionsOpen() == 0;
        onEveryLoop((loop, i) -> loop.forEachHandler(h -> {
            if (h instanceof Connection c) {
                c.close();
            }
        }));
        // bridges get at least a second: idle workers need a moment to notice and exit
        Duration bridgeGrace = Duration.ofNanos(Math.max(1_000_000_000L, deadline - System.nanoTime()));
        for (Bridge bridge : hosts.bridges()) {
            clean &= bridge.shutdown(bridgeGrace);
        }
        for (Retired old : retired) {
            old.bridges().forEach(b -> b.shutdown(bridgeGrace));
            closeAll(old.resources());
        }
        for (EventLoop loop : loops) {
            loop.shutdown();
        }
        for (EventLoop loop : loops) {
            try {
                loop.awaitTermination(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (tls != null) {
            tls.close();
        }
        closeAll(closeOnStop);
        LOG.log(System.Logger.Level.INFO, clean ? "stopped" : "stopped; connections still busy at the deadline were closed");
        return clean;
    }

    @Override
    public void close() {
        stop(Duration.ofSeconds(5));
    }

    private interface LoopAction {
        void run(EventLoop loop, int index);
    }

    /** Runs the action on every loop's thread and waits for all of them. */
    private void onEveryLoop(LoopAction action) {
        CountDownLatch done = new CountDownLatch(loops.size());
        for (int i = 0; i < loops.size(); i++) {
            EventLoop loop = loops.get(i);
            int index = i;
            loop.execute(() -> {
                try {
                    action.run(loop, index);
                } finally {
                    done.countDown();
                }
            });
        }
        try {
            done.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void closeQuietly() {
        for (ListenSocket ch : new ListenSocket[] {serverChannel, httpsChannel}) {
            try {
                if (ch != null) {
                    ch.close();
                }
            } catch (IOException e) {
                LOG.log(System.Logger.Level.DEBUG, "closing a listening socket", e);
            }
        }
    }

    private static void sleepMillis(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Configuration of a server; every setting has a default, so {@code builder().build()} serves 404s on 8080. */
    public static final class Builder {

        private InetSocketAddress bindAddress = new InetSocketAddress(8080);
        private int loops = Runtime.getRuntime().availableProcessors();
        private int acceptBacklog = 1024;
        private SocketTransport transport; // null: -Dbrigade.transport, else auto
        private ConnectionConfig config = ConnectionConfig.DEFAULT;
        private Bridge bridge = Bridges.inline();
        private Consumer<Transaction> transactionDone; // null: nobody listens
        private int compressionLevel;
        private long compressionMinBytes = 1024;
        private long bandwidthLimit;
        private final VirtualHost defaultHost = new VirtualHost(List.of("_default_"));
        private final List<ResponseFilters.Registration> filters = new ArrayList<>();
        private final List<RequestFilters.Registration> bodyFilters = new ArrayList<>();
        private final List<java.util.function.Supplier<? extends dev.brigade.filter.InputFilter>> inputFilters =
                new ArrayList<>();
        private final Map<String, VirtualHost> hosts = new HashMap<>();
        private dev.brigade.tls.TlsSettings tls; // null: plain HTTP only
        private int httpsPort = -1;
        private boolean redirectToHttps;
        private final List<AutoCloseable> closeOnStop = new ArrayList<>();

        private Builder() {
        }

        /**
         * Adds a TLS port (8443 unless {@link #httpsPort} says otherwise) on the same address, with
         * these certificates and protocols; virtual hosts may add their own certificates.
         */
        public Builder tls(dev.brigade.tls.TlsSettings settings) {
            this.tls = settings;
            return this;
        }

        /** The TLS port (0: any free port); needs {@link #tls}. */
        public Builder httpsPort(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("HTTPS port must be 0..65535: " + port);
            }
            this.httpsPort = port;
            return this;
        }

        /**
         * Closes {@code resource} when the server has stopped (after its connections and bridges):
         * a {@code StaticFiles} handler's memory cache, say, whose pages must go back to their pool.
         */
        public Builder closeOnStop(AutoCloseable resource) {
            closeOnStop.add(resource);
            return this;
        }

        /** Answers every request on the plain port with a redirect to the same URL over HTTPS. */
        public Builder redirectToHttps(boolean on) {
            this.redirectToHttps = on;
            return this;
        }

        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be 0 (any free port) to 65535: " + port);
            }
            this.bindAddress = new InetSocketAddress(bindAddress.getAddress(), port);
            return this;
        }

        /** The address to listen on, e.g. {@code 127.0.0.1} or {@code ::}; all interfaces by default. */
        public Builder bind(String host) {
            InetSocketAddress a = new InetSocketAddress(host, bindAddress.getPort());
            if (a.isUnresolved()) {
                // never fall back to every interface for a name that does not resolve
                throw new IllegalArgumentException("cannot resolve the address to listen on: " + host);
            }
            this.bindAddress = a;
            return this;
        }

        /** Number of event loops (default: available processors). */
        public Builder loops(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("loops must be at least 1");
            }
            this.loops = n;
            return this;
        }

        public Builder acceptBacklog(int n) {
            this.acceptBacklog = n;
            return this;
        }

        /**
         * The socket transport: {@link SocketTransport#AUTO} (epoll on Linux when native access is
         * enabled, else NIO), {@link SocketTransport#NIO} or {@link SocketTransport#EPOLL}. Without
         * this call, the system property {@code brigade.transport} decides, else auto.
         */
        public Builder transport(SocketTransport transport) {
            this.transport = java.util.Objects.requireNonNull(transport, "transport");
            return this;
        }

        /** Time to receive a request head: {@code base} at first, growing with received bytes up to {@code max} (20 s / 40 s). */
        public Builder headerTimeout(Duration base, Duration max) {
            config = config.withHeaderTimeout(base, max);
            return this;
        }

        /** Time to receive a request body at first, growing with received bytes (20 s). */
        public Builder bodyTimeout(Duration timeout) {
            config = config.withBodyTimeout(timeout);
            return this;
        }

        /** Idle time between requests and requests per connection (5 s, 100). */
        public Builder keepAlive(Duration timeout, int requestsMax) {
            config = config.withKeepAlive(timeout, requestsMax);
            return this;
        }

        /** Time without write progress before a slow reader is dropped (60 s). */
        public Builder writeTimeout(Duration timeout) {
            config = config.withWriteTimeout(timeout);
            return this;
        }

        /** How long closing connections are drained: normally, and after errors (30 s, 2 s). */
        public Builder linger(Duration normal, Duration afterError) {
            config = config.withLinger(normal, afterError);
            return this;
        }

        /**
         * On-the-fly gzip (levels 1–9; 0 turns it off, the default) for compressible response types
         * of at least {@code minBytes} (or unknown length), when the client accepts it.
         */
        public Builder compression(int level, long minBytes) {
            this.compressionLevel = level;
            this.compressionMinBytes = minBytes;
            return this;
        }

        /** Limits every connection's output to {@code bytesPerSecond} (a rate-limit filter per connection); 0 for none. */
        public Builder bandwidthLimit(long bytesPerSecond) {
            this.bandwidthLimit = bytesPerSecond;
            return this;
        }

        /**
         * Largest body {@code Request.body()} collects into memory (1 MiB): 413 beyond. Bodies read
         * piece by piece ({@code read}, {@code bodyStream}) are held to {@link #maxBodyBytes} only.
         */
        public Builder maxAggregatedBodyBytes(long bytes) {
            config = config.withBodyHandling(bytes, config.bodyDiscardBytesMax());
            return this;
        }

        /**
         * Most bytes of an unread request body discarded after its response so the connection
         * stays open (1 MiB); a longer body closes the connection after the response.
         */
        public Builder maxDiscardedBodyBytes(long bytes) {
            config = config.withBodyHandling(config.bodyAggregateBytesMax(), bytes);
            return this;
        }

        /** Largest request body accepted (1 GiB); larger ones are answered 413. */
        public Builder maxBodyBytes(long bytes) {
            config = config.withLimits(config.limits().withBodyBytesMax(bytes));
            return this;
        }

        /** Request line, field line and field count limits (8190, 8190, 100): 414 and 431 beyond. */
        public Builder headLimits(int requestLineBytes, int fieldBytes, int fieldCount) {
            Limits l = config.limits();
            config = config.withLimits(new Limits(requestLineBytes, fieldBytes, fieldCount, l.bodyBytesMax(),
                    Math.max(l.headBytesMax(), requestLineBytes + fieldBytes + 6)));
            return this;
        }

        /** The whole request head's limit (32 KiB), counted as its bytes arrive: 431 beyond. */
        public Builder maxHeadBytes(int bytes) {
            config = config.withLimits(config.limits().withHeadBytesMax(bytes));
            return this;
        }

        /** Where handlers run (default: inline on the loops). */
        public Builder bridge(Bridge b) {
            this.bridge = b;
            return this;
        }

        /** Called once per request after its last byte was written or the connection ended (access logs). */
        public Builder onTransactionDone(Consumer<Transaction> hook) {
            Consumer<Transaction> previous = this.transactionDone;
            this.transactionDone = previous == null ? hook : t -> {
                previous.accept(t);
                hook.accept(t);
            };
            return this;
        }

        public Builder route(String method, String pattern, Handler handler) {
            defaultHost.route(method, pattern, handler);
            return this;
        }

        public Builder get(String pattern, Handler handler) {
            return route("GET", pattern, handler);
        }

        public Builder post(String pattern, Handler handler) {
            return route("POST", pattern, handler);
        }

        public Builder put(String pattern, Handler handler) {
            return route("PUT", pattern, handler);
        }

        public Builder delete(String pattern, Handler handler) {
            return route("DELETE", pattern, handler);
        }

        public Builder patch(String pattern, Handler handler) {
            return route("PATCH", pattern, handler);
        }

        /**
         * Passes every response of every virtual host through a new filter from {@code factory}
         * (see {@link dev.brigade.filter.FilteredResponse}); lower orders see the data first. Per
         * host: {@link VirtualHost#outputFilter}; per route: {@link ResponseFilters#around}.
         */
        public Builder outputFilter(int order, java.util.function.Supplier<? extends dev.brigade.filter.OutputFilter> factory) {
            filters.add(new ResponseFilters.Registration(order, factory));
            return this;
        }

        /**
         * Passes every request body of every virtual host through a filter {@code factory} makes for
         * the request (or not, if it returns null; see {@link dev.brigade.filter.BodyFilter}); lower
         * orders see the bytes first. Per host:
         * {@link VirtualHost#bodyFilter}; per route: {@link RequestFilters#around}.
         */
        public Builder bodyFilter(int order,
                java.util.function.Function<? super dev.brigade.api.Request, ? extends dev.brigade.filter.BodyFilter> factory) {
            bodyFilters.add(new RequestFilters.Registration(order, factory));
            return this;
        }

        /**
         * Gives every connection a new input filter from {@code factory}, between the network and
         * the HTTP/1 framing (see {@link dev.brigade.filter.InputFilter}); filters added later sit
         * above those added before.
         */
        public Builder connectionInputFilter(java.util.function.Supplier<? extends dev.brigade.filter.InputFilter> factory) {
            inputFilters.add(factory);
            return this;
        }

        /** The handler for paths no route of the default host matches. */
        public Builder fallback(Handler handler) {
            defaultHost.fallback(handler);
            return this;
        }

        /** Configures the default host, used when no virtual host name matches. */
        public Builder defaultHost(Consumer<VirtualHost> setup) {
            setup.accept(defaultHost);
            return this;
        }

        /** Adds a name-based virtual host answering to {@code name} and any aliases. */
        public Builder virtualHost(String name, Consumer<VirtualHost> setup, String... aliases) {
            List<String> names = new ArrayList<>();
            names.add(name);
            names.addAll(List.of(aliases));
            VirtualHost vh = new VirtualHost(names);
            setup.accept(vh);
            for (String n : vh.names()) {
                if (hosts.putIfAbsent(n, vh) != null) {
                    throw new IllegalArgumentException("two virtual hosts named " + n);
                }
            }
            return this;
        }

        public Server build() {
            return new Server(this);
        }
    }
}
