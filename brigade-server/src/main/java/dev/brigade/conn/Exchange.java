package dev.brigade.conn;

import dev.brigade.api.Status;
import dev.brigade.api.Transaction;
import dev.brigade.dispatch.Job;
import dev.brigade.filter.Brigade;
import dev.brigade.filter.Bucket;
import dev.brigade.filter.WriteOutcome;
import dev.brigade.http1.ParseError;
import dev.brigade.http1.RequestHead;
import dev.brigade.http1.RequestTarget;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One request and its response, from a parsed head to the end-of-request bucket.
 *
 * <ol>
 *   <li>The connection creates it and hands it to the bridge as a {@link Job}.</li>
 *   <li>The handler runs (any thread). Whatever it sends reaches this object on the loop thread
 *       through {@link #onLoop}, which drops it if the connection has moved on (closed, or a
 *       later generation): a stale completion.</li>
 *   <li>The response goes into the connection's filter chain as a head bucket, its body, EOS
 *       and an end-of-request bucket whose completion reports the {@link Transaction}. The
 *       filters below decide its coding and framing and encode the head.</li>
 * </ol>
 * Fields without a note are loop-thread only.
 */
final class Exchange implements Job {

    private static final System.Logger LOG = System.getLogger(Exchange.class.getName());
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    private final ExchangeConnection conn;
    private final int generation;
    private final RequestHead head;
    private final ExchangeRequest request;
    private final ExchangeResponse response;
    private final int number;
    private final long startNanos;
    private final long startMillis;
    private final AtomicReference<CompletableFuture<byte[]>> aggregate = new AtomicReference<>(); // any thread
    private volatile boolean answersLater; // the handler reads its body asynchronously: it answers when done
    private volatile BodyInputStream bodyStream;

    private boolean started;
    private volatile StreamGate gate; // created by the first streamed piece (any thread); see gate()
    private dev.brigade.loop.Timers.Timer suspendTimer;
    private Application.Site site;
    private long declaredLength = -1;
    private long streamedLength;
    private int statusSent;
    private Bucket.EndOfRequest endOfRequest;
    private volatile boolean aborted; // read by handler threads

    Exchange(ExchangeConnection conn, int generation, RequestHead head, RequestTarget target, int number) {
        this.conn = conn;
        this.generation = generation;
        this.head = head;
        this.number = number;
        this.request = new ExchangeRequest(this, head, target);
        this.response = new ExchangeResponse(this);
        this.startNanos = System.nanoTime();
        this.startMillis = System.currentTimeMillis();
    }

    // ---- Job: runs on the bridge's thread ------------------------------------------------

    @Override
    public void run() {
        try {
            site.handle(request, response);
            if (!answersLater && !response.isAsync() && response.claimForServer()) {
                onLoop(() -> sendWhole(EMPTY)); // returned without sending: the response as it stands
            }
        } catch (Throwable t) {
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

    @Override
    public String hostName() {
        return site.name();
    }

    /** Chooses the virtual host (and so the bridge) for this exchange; loop thread, before dispatch. */
    Application.Site route() {
        site = conn.server().application().siteFor(request);
        return site;
    }

    /** Runs {@code action} on the loop thread if this exchange is still the connection's current one. */
    void onLoop(Runnable action) {
        onLoop(action, null);
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
        onLoop(() -> conn.demandBody(listener),
                () -> listener.onError(new IllegalStateException("the exchange is over: connection closed or answered")));
    }

    /** The whole body, collected (an opt-in, with its own limit): see {@link BodyAggregator}. */
    CompletionStage<byte[]> body() {
        answersLater = true;
        CompletableFuture<byte[]> f = aggregate.get();
        if (f == null) {
            CompletableFuture<byte[]> fresh = new CompletableFuture<>();
            if (aggregate.compareAndSet(null, fresh)) {
                onLoop(() -> startAggregating(fresh),
                        () -> fresh.completeExceptionally(new IllegalStateException("connection closed")));
                return fresh;
            }
            f = aggregate.get();
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

    // ---- response ----------------------------------------------------------------------------

    /** The whole response at once: head, body and end travel as one brigade, one pass down the chain. */
    void sendWhole(ByteBuffer content) {
        Brigade all = new Brigade().add(startResponse(response.status(), content.remaining()));
        if (content.hasRemaining() && !noBodyOnWire()) {
            all.add(new Bucket.Bytes(content));
        }
        finish(all);
    }

    /** A file as the whole body: the content leaves as a file region, with transferTo. */
    void sendFile(java.nio.file.Path file) {
        java.nio.channels.FileChannel ch;
        long size;
        try {
            ch = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.READ);
            size = ch.size();
        } catch (java.io.IOException e) {
            LOG.log(System.Logger.Level.WARNING, () -> "conn " + conn.id() + ": cannot open " + file + ": " + e.getMessage());
            sendError(500, false);
            return;
        }
        Brigade body = new Brigade();
        if (size > 0) {
            body.add(new Bucket.FileRegion(ch, 0, size, () -> closeQuietly(ch)));
        } else {
            closeQuietly(ch);
        }
        sendBody(body, size);
    }

    /** A whole body given as buckets (this exchange takes them over), with its length or -1. */
    void sendBody(Brigade body, long length) {
        Brigade all = new Brigade().add(startResponse(response.status(), length));
        if (noBodyOnWire()) {
            body.completeAll(WriteOutcome.COMPLETED); // nothing of it goes on the wire
        } else {
            all.takeAll(body);
        }
        finish(all);
    }

    private static void closeQuietly(java.io.Closeable c) {
        try {
            c.close();
        } catch (java.io.IOException ignored) {
            // a read-only file: nothing was lost
        }
    }

    /** Answers with a short plain-text error page. */
    void sendError(int status, boolean close) {
        if (close) {
            conn.closeAfterResponse(false);
        }
        response.headers().remove("Content-Length").set("Content-Type", "text/plain; charset=utf-8");
        response.overrideStatus(status);
        sendWhole(ByteBuffer.wrap((status + " " + Status.reason(status) + "\n").getBytes(StandardCharsets.UTF_8)));
    }

    /** A piece of a streamed body, already counted by the stream gate. */
    void streamData(ByteBuffer data, boolean flush) {
        Brigade bb = new Brigade();
        if (!started) {
            String cl = response.headers().get("Content-Length");
            declaredLength = cl == null ? -1 : parseLength(cl);
            bb.add(startResponse(response.status(), declaredLength));
        }
        int n = data.remaining();
        if (n > 0 && !noBodyOnWire()) {
            streamedLength += n;
            StreamGate g = gate();
            bb.add(new Bucket.Bytes(data, null, () -> g.consumed(n)));
        } else {
            gate().consumed(n);
        }
        if (flush) {
            bb.add(Bucket.Flush.INSTANCE);
        }
        conn.write(bb);
    }

    void streamEnd(ByteBuffer last) {
        streamData(last, false);
        if (declaredLength >= 0 && streamedLength != declaredLength && !isHead()) {
            LOG.log(System.Logger.Level.WARNING, () -> "conn " + conn.id() + ": handler declared Content-Length "
                    + declaredLength + " but wrote " + streamedLength + "; closing");
            conn.abort("response length mismatch");
            return;
        }
        finish(new Brigade());
    }

    /** Ends the response: what is left of it, EOS for the request filters, then the end-of-request bucket. */
    private void finish(Brigade last) {
        if (suspendTimer != null) {
            suspendTimer.cancel();
        }
        endOfRequest = new Bucket.EndOfRequest(this::transactionDone);
        conn.write(last.add(Bucket.Eos.INSTANCE).add(endOfRequest));
        conn.responseComplete(this);
    }

    /**
     * Starts the response: inserts the filters the application registered for it, and makes the
     * head that goes first down the chain. Framing, coding and the {@code Connection} field are
     * decided by the filters it passes (gzip, chunking, the HTTP/1 encoder), not here.
     */
    private Bucket.Head startResponse(int status, long contentLength) {
        started = true;
        statusSent = status;
        response.insertFilters(conn);
        return new Bucket.Head(request, status, response.headers(), response.rawFields(), contentLength,
                conn.mayKeepAlive(this));
    }

    /** Whether no body goes on the wire: a 1xx, 204 or 304 status, or an answer to HEAD. */
    private boolean noBodyOnWire() {
        return Status.bodyless(statusSent) || isHead();
    }

    /** Parks the exchange until it is sent or {@code timeout} passes (then 503, or the handler's answer). */
    void suspend(java.time.Duration timeout, java.util.function.Consumer<dev.brigade.api.Response> onTimeout) {
        if (endOfRequest != null) {
            return; // already answered
        }
        conn.suspend();
        suspendTimer = conn.loop().schedule(timeout, () -> runIfCurrent(() -> suspendTimedOut(onTimeout), null));
    }

    private void suspendTimedOut(java.util.function.Consumer<dev.brigade.api.Response> onTimeout) {
        if (started) {
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

    private static long parseLength(String value) {
        try {
            long n = Long.parseLong(value.trim());
            return n >= 0 ? n : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private void transactionDone(WriteOutcome outcome) {
        if (!conn.server().reportsTransactions()) {
            return; // nobody listens: build nothing
        }
        long sent = 0;
        if (started) {
            // the bytes between the end of the previous response and this one's end-of-request
            dev.brigade.filter.NetworkFilter network = conn.network();
            long written = network.bytesWritten();
            boolean passed = endOfRequest != null && endOfRequest.endOffset() >= 0;
            long start = passed ? endOfRequest.startOffset() : network.lastResponseEnd();
            long end = passed ? Math.min(written, endOfRequest.endOffset()) : written;
            sent = Math.max(0, end - start);
        }
        conn.server().transactionDone(new Transaction(conn.id(), conn.remoteAddress(), startMillis,
                head.method(), head.target(), head.version().text(), started ? statusSent : response.status(), sent,
                request.header("Referer"), request.header("User-Agent"),
                System.nanoTime() - startNanos, outcome == WriteOutcome.COMPLETED));
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
        CompletableFuture<byte[]> f = aggregate.get();
        if (f != null && !f.isDone()) {
            f.completeExceptionally(new IllegalStateException("connection closed"));
        }
        if (endOfRequest == null) {
            // the response never reached its end-of-request bucket (a stream cut short, a handler
            // still working): report the transaction here, once, as not completed
            transactionDone(WriteOutcome.CLOSING);
        }
    }

    boolean aborted() {
        return aborted;
    }

    boolean started() {
        return started;
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

    boolean blockingAllowed() {
        return site.bridge().blockingAllowed();
    }
}
