package dev.brigade.conn;

import dev.brigade.api.Transaction;
import dev.brigade.dispatch.Bridge;
import dev.brigade.dispatch.Job;
import dev.brigade.http1.ParseError;
import dev.brigade.http1.RequestHead;
import dev.brigade.http1.RequestTarget;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * One request and its response, from a parsed head to the end-of-request bucket.
 *
 * <ol>
 *   <li>The connection creates it and hands it to the bridge as a {@link Job}.</li>
 *   <li>The handler runs (any thread). Whatever it sends reaches this object on the loop thread
 *       through {@link #onLoop}, which drops it if the connection has moved on (closed, or a
 *       later generation): a stale completion.</li>
 *   <li>Its {@link ResponseWriter} (loop thread only) puts the response into the connection's
 *       filter chain: a head bucket, the body, EOS and an end-of-request bucket whose completion
 *       reports the {@link Transaction}.</li>
 * </ol>
 * This class holds what any thread may call (the job, the body's demand, the stream gate, the
 * hand-over to the loop); what only the loop does to the response is in {@link ResponseWriter},
 * and the connection is reached only through {@link ExchangeConnection}. Fields without a note
 * are loop-thread only.
 */
final class Exchange implements Job {

    private static final System.Logger LOG = System.getLogger(Exchange.class.getName());
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);
    private static final java.lang.invoke.VarHandle AGGREGATE; // a field, not an AtomicReference per request
    static {
        try {
            AGGREGATE = java.lang.invoke.MethodHandles.lookup().findVarHandle(Exchange.class, "aggregate", CompletableFuture.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final ExchangeConnection conn;
    private final int generation;
    private final RequestHead head;
    private final ExchangeRequest request;
    private final ExchangeResponse response;
    private final int number;
    private final long startNanos; // the loop's clock when the head was parsed
    private final ResponseWriter writer; // loop thread only
    private volatile CompletableFuture<byte[]> aggregate; // any thread; set once, through AGGREGATE
    private volatile boolean answersLater; // the handler reads its body asynchronously: it answers when done
    private volatile BodyInputStream bodyStream;
    private java.util.List<OrderedBodyFilter> bodyFilters; // guarded by this; added before the body is read
    private volatile boolean bodyReadStarted;
    private FilteredBody filteredBody; // loop thread: the body through its filters, if it has any

    private record OrderedBodyFilter(int order, dev.brigade.filter.BodyFilter filter) {
    }

    private volatile StreamGate gate; // created by the first streamed piece (any thread); see gate()
    private dev.brigade.loop.Timers.Timer suspendTimer;
    private Application.Site site;
    private Bridge bridge; // where the handler runs: the site's, or its route's own
    private volatile boolean aborted; // read by handler threads

    Exchange(ExchangeConnection conn, int generation, RequestHead head, RequestTarget target, int number,
            long startNanos) {
        this.conn = conn;
        this.generation = generation;
        this.head = head;
        this.number = number;
        this.request = new ExchangeRequest(this, head, target);
        this.response = new ExchangeResponse(this);
        this.startNanos = startNanos;
        this.writer = new ResponseWriter(this, conn, request, response);
    }

    // ---- Job: runs on the bridge's thread ------------------------------------------------

    @Override
    public void run() {
        try {
            site.handle(request, response);
            if (!answersLater && !response.isAsync() && response.claimForServer()) {
                onLoop(() -> writer.sendWhole(EMPTY)); // returned without sending: the response as it stands
            }
        } catch (Throwable t) {
            if (ConnectionClosedException.causedBy(t)) {
                // the client left mid-response: its doing, one line, and nothing more to send
                LOG.log(System.Logger.Level.DEBUG, () -> "conn " + conn.id() + ": connection closed during "
                        + head.method() + " " + head.target());
                onLoop(() -> conn.abort("connection closed while the handler wrote"));
                return;
            }
            LOG.log(System.Logger.Level.ERROR, () -> "conn " + conn.id() + ": handler failed on "
                    + head.method() + " " + head.target(), t);
            if (response.claimForServer()) {
                onLoop(() -> sendError(500, false));
            } else {
                onLoop(() -> conn.abort("handler failed after sending"));
            }
        }
    }

    @Override
    public void reject() {
        if (response.claimForServer()) {
            onLoop(() -> {
                response.headers().set("Retry-After", "1");
                sendError(503, true);
            });
        }
    }

    @Override
    public String description() {
        return head.method() + " " + head.target() + " (conn " + conn.id() + ", host " + request.host() + ")";
    }

    boolean secure() {
        return conn.secure();
    }

    @Override
    public String hostName() {
        return site.name();
    }

    /** Chooses the virtual host and the bridge for this exchange; loop thread, before dispatch. */
    Bridge route() {
        site = conn.server().application().siteFor(request);
        bridge = site.bridgeFor(request);
        return bridge;
    }

    /** Runs {@code action} on the loop thread if this exchange is still the connection's current one. */
    void onLoop(Runnable action) {
        onLoop(action, null);
    }

    /**
     * Like {@link #onLoop(Runnable)}, but always as a task of the loop's next pass, never from inside
     * the caller: for callbacks that write, which may be triggered by a filter in the middle of its
     * own write (a bucket it consumed completing) and must not re-enter the chain there.
     */
    void onLoopLater(Runnable action) {
        conn.loop().execute(() -> runIfCurrent(action, null));
    }

    /**
     * Like {@link #onLoop(Runnable)}; if the connection moved on (closed, or a later generation), the
     * completion is dropped and counted, and {@code ifStale} releases what it carried.
     */
    void onLoop(Runnable action, Runnable ifStale) {
        if (conn.loop().inLoop()) {
            runIfCurrent(action, ifStale);
        } else {
            conn.loop().execute(() -> runIfCurrent(action, ifStale));
        }
    }

    /**
     * Whether the caller is on the loop and this exchange is still the connection's current one: an
     * inline handler's answer is then written in place, without a closure for {@link #onLoop}.
     */
    boolean currentOnLoop() {
        return conn.loop().inLoop() && conn.isCurrent(this, generation);
    }

    private void runIfCurrent(Runnable action, Runnable ifStale) {
        if (conn.isCurrent(this, generation)) {
            action.run();
        } else {
            conn.server().countStaleCompletion();
            if (ifStale != null) {
                ifStale.run();
            }
        }
    }

    // ---- request body ------------------------------------------------------------------------

    boolean hasBody() {
        return !(head.framing() instanceof dev.brigade.http1.BodyFraming.None);
    }

    /** The handler's next demand for a piece of its body (any thread); answered on the loop. */
    void read(dev.brigade.api.BodyListener listener) {
        answersLater = true;
        bodyReadStarted = true;
        onLoop(() -> readOnLoop(listener),
                () -> listener.onError(new IllegalStateException("the exchange is over: connection closed or answered")));
    }

    private void readOnLoop(dev.brigade.api.BodyListener listener) {
        FilteredBody fb = filteredBody();
        if (fb != null) {
            fb.read(listener);
        } else {
            conn.demandBody(listener);
        }
    }

    /** Adds a filter over this request's body (any thread, before the body is first read). */
    synchronized void addBodyFilter(int order, dev.brigade.filter.BodyFilter filter) {
        if (bodyReadStarted) {
            throw new IllegalStateException("the body is being read: add body filters before reading it");
        }
        if (bodyFilters == null) {
            bodyFilters = new java.util.ArrayList<>(2);
        }
        bodyFilters.add(new OrderedBodyFilter(order, filter));
    }

    /** The body through its filters, made at the first read; null if it has none (loop thread). */
    private FilteredBody filteredBody() {
        if (filteredBody == null) {
            java.util.List<OrderedBodyFilter> added;
            synchronized (this) {
                added = bodyFilters;
                bodyFilters = null;
            }
            if (added != null) {
                added.sort(java.util.Comparator.comparingInt(OrderedBodyFilter::order)); // stable
                filteredBody = new FilteredBody(this, added.stream().map(OrderedBodyFilter::filter).toList());
            }
        }
        return filteredBody;
    }

    /** A raw piece of the body for its filters, from the connection (loop thread). */
    void readRaw(dev.brigade.api.BodyListener filters) {
        conn.demandBody(filters);
    }

    /** A body filter refused the body (loop thread): 400, like a malformed body. */
    void bodyFilterFailed(ParseError error) {
        conn.failBody(error);
    }

    /** The whole body, collected (an opt-in, with its own limit): see {@link BodyAggregator}. */
    CompletionStage<byte[]> body() {
        answersLater = true;
        CompletableFuture<byte[]> f = aggregate;
        if (f == null) {
            CompletableFuture<byte[]> fresh = new CompletableFuture<>();
            if (AGGREGATE.compareAndSet(this, null, fresh)) {
                onLoop(() -> startAggregating(fresh),
                        () -> fresh.completeExceptionally(new IllegalStateException("connection closed")));
                return fresh;
            }
            f = aggregate;
        }
        return f;
    }

    private void startAggregating(CompletableFuture<byte[]> result) {
        if (!hasBody()) {
            result.complete(new byte[0]);
            return;
        }
        long max = conn.server().config().bodyAggregateBytesMax();
        long declared = head.framing() instanceof dev.brigade.http1.BodyFraming.Length(long n) ? n : -1;
        if (declared > max) { // refused before a byte is read (and before any 100 Continue)
            aggregateTooLarge(result, max);
            return;
        }
        read(new BodyAggregator(this, result, declared, max));
    }

    /** The body outgrew {@code Request.body()}'s limit: 413, and the collecting stage fails. */
    void aggregateTooLarge(CompletableFuture<byte[]> result, long max) {
        ParseError e = new ParseError(413, "request body over the " + max + " B limit of Request.body()");
        result.completeExceptionally(new IllegalStateException("request body: 413 " + e.reason()));
        conn.failBody(e);
    }

    /** A blocking stream over {@link #read}; one per exchange. */
    java.io.InputStream bodyStream() {
        BodyInputStream s = bodyStream;
        if (s == null) {
            synchronized (this) {
                s = bodyStream;
                if (s == null) {
                    s = new BodyInputStream(request);
                    bodyStream = s;
                }
            }
        }
        return s;
    }

    /** The body could not be read (malformed, too large, too slow): the status answers it, then close. */
    void bodyFailed(ParseError error) {
        if (response.claimForServer()) {
            sendError(error.status(), true);
        } else {
            conn.abort("request body failed: " + error.reason());
        }
    }

    // ---- response: written by its ResponseWriter, on the loop ------------------------------

    /** What writes this exchange's response into the connection's chain (loop thread only). */
    ResponseWriter writer() {
        return writer;
    }

    /** Answers with a short plain-text error page (loop thread). */
    void sendError(int status, boolean close) {
        writer.sendError(status, close);
    }

    /** Parks the exchange until it is sent or {@code timeout} passes (then 503, or the handler's answer). */
    void suspend(java.time.Duration timeout, java.util.function.Consumer<dev.brigade.api.Response> onTimeout) {
        if (writer.finished()) {
            return; // already answered
        }
        conn.suspend();
        suspendTimer = conn.loop().schedule(timeout, () -> runIfCurrent(() -> suspendTimedOut(onTimeout), null));
    }

    private void suspendTimedOut(java.util.function.Consumer<dev.brigade.api.Response> onTimeout) {
        conn.stats().timedOut(LoopStats.Timeout.SUSPEND);
        if (writer.started()) {
            return; // a stream already began: it ends when its writer ends it
        }
        if (onTimeout != null && !response.committed()) {
            try {
                onTimeout.accept(response);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.ERROR, () -> "conn " + conn.id() + ": suspend timeout handler failed", e);
            }
        }
        if (response.claimForServer()) {
            response.headers().set("Retry-After", "1");
            sendError(503, false);
        }
    }

    /** Flow control of this exchange's streamed body. */
    StreamGate gate() {
        StreamGate g = gate;
        if (g == null) {
            synchronized (this) { // rare: once per streamed response, by its producer
                g = gate;
                if (g == null) {
                    g = new StreamGate(conn.server().config().outputHighWaterBytes());
                    if (aborted) {
                        g.close();
                    }
                    gate = g;
                }
            }
        }
        return g;
    }

    /** Called by the connection when it closes under this exchange: the handler's writes are now futile. */
    void abort() {
        aborted = true;
        StreamGate g;
        synchronized (this) {
            g = gate;
        }
        if (g != null) {
            g.close();
        }
        CompletableFuture<byte[]> f = aggregate;
        if (f != null && !f.isDone()) {
            f.completeExceptionally(new IllegalStateException("connection closed"));
        }
        writer.aborted();
    }

    boolean aborted() {
        return aborted;
    }

    boolean started() {
        return writer.started();
    }

    /** The response is complete: a parked exchange's deadline no longer applies. */
    void responseFinished() {
        if (suspendTimer != null) {
            suspendTimer.cancel();
        }
    }

    long startNanos() {
        return startNanos;
    }

    /** The wall-clock time of {@link #startNanos}: read only when a transaction is reported, not per request. */
    long startMillis() {
        return System.currentTimeMillis() - (System.nanoTime() - startNanos) / 1_000_000;
    }

    boolean isHead() {
        return head.method().equals("HEAD");
    }

    int number() {
        return number;
    }

    RequestHead head() {
        return head;
    }

    ExchangeRequest request() {
        return request;
    }

    InetSocketAddress remoteAddress() {
        return conn.remoteAddress();
    }

    /** Whether the caller is this exchange's loop thread (which must never wait). */
    boolean onLoopThread() {
        return conn.loop().inLoop();
    }

    boolean blockingAllowed() {
        return bridge.blockingAllowed();
    }
}
