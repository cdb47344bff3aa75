package dev.brigade.conn;

import dev.brigade.api.Headers;
import dev.brigade.api.Status;
import dev.brigade.api.Transaction;
import dev.brigade.dispatch.Job;
import dev.brigade.filter.Brigade;
import dev.brigade.filter.Bucket;
import dev.brigade.filter.ChunkedFilter;
import dev.brigade.filter.WriteOutcome;
import dev.brigade.http1.BodyDecoder;
import dev.brigade.http1.HttpVersion;
import dev.brigade.http1.ParseError;
import dev.brigade.http1.RequestHead;
import dev.brigade.http1.RequestTarget;
import dev.brigade.http1.ResponseHeadWriter;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
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
 *   <li>The response is framed here (Content-Length, or chunked through a {@link ChunkedFilter})
 *       and passed into the connection's filter chain, ending with EOS and an end-of-request
 *       bucket whose completion reports the {@link Transaction}.</li>
 * </ol>
 * Fields without a note are loop-thread only.
 */
final class Exchange implements Job {

    private static final System.Logger LOG = System.getLogger(Exchange.class.getName());
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    private final Connection conn;
    private final int generation;
    private final RequestHead head;
    private final ExchangeRequest request;
    private final ExchangeResponse response;
    private final int number;
    private final long startNanos;
    private final long startMillis;
    private final AtomicReference<CompletableFuture<byte[]>> body = new AtomicReference<>(); // any thread

    private BodyDecoder decoder;
    private byte[] bodyBytes;
    private int bodyLength;
    private boolean bodyDone;
    private boolean started;
    private boolean keepAlive;
    private ChunkedFilter chunked;
    private long declaredLength = -1;
    private long streamedLength;
    private int statusSent;
    private long startOffset;
    private Bucket.EndOfRequest endOfRequest;
    private volatile boolean aborted; // read by handler threads

    Exchange(Connection conn, int generation, RequestHead head, RequestTarget target, int number) {
        this.conn = conn;
        this.generation = generation;
        this.head = head;
        this.number = number;
        this.request = new ExchangeRequest(this, head, target);
        this.response = new ExchangeResponse(this);
        this.startNanos = System.nanoTime();
        this.startMillis = System.currentTimeMillis();
        this.bodyDone = !hasBody();
    }

    // ---- Job: runs on the bridge's thread ------------------------------------------------

    @Override
    public void run() {
        try {
            conn.server().application().handle(request, response);
            if (body.get() == null && !response.isAsync() && response.claimForServer()) {
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
    public String hostName() {
        return request.host();
    }

    /** Runs {@code action} on the loop thread if this exchange is still the connection's current one. */
    void onLoop(Runnable action) {
        if (conn.loop().inLoop()) {
            runIfCurrent(action);
        } else {
            conn.loop().execute(() -> runIfCurrent(action));
        }
    }

    private void runIfCurrent(Runnable action) {
        if (conn.isCurrent(this, generation)) {
            action.run();
        } else {
            conn.server().countStaleCompletion();
        }
    }

    // ---- request body ------------------------------------------------------------------------

    boolean hasBody() {
        return !(head.framing() instanceof dev.brigade.http1.BodyFraming.None);
    }

    CompletionStage<byte[]> body() {
        CompletableFuture<byte[]> f = body.get();
        if (f == null) {
            CompletableFuture<byte[]> fresh = new CompletableFuture<>();
            if (body.compareAndSet(null, fresh)) {
                onLoop(this::startBodyRead);
                return fresh;
            }
            f = body.get();
        }
        return f;
    }

    private void startBodyRead() {
        if (bodyDone) {
            body.get().complete(bodyLength == 0 ? new byte[0] : Arrays.copyOf(bodyBytes, bodyLength));
            return;
        }
        decoder = BodyDecoder.of(head.framing(), conn.server().config().limits());
        bodyBytes = new byte[(int) Math.min(16 * 1024, conn.server().config().limits().bodyBytesMax())];
        if (head.expectContinue()) {
            conn.sendContinue();
        }
        conn.startReadingBody();
    }

    /** Feeds buffered input to the body decoder; true when the exchange no longer needs input. */
    boolean feedBody(ByteBuffer in) {
        while (true) {
            switch (decoder.next(in)) {
                case DATA -> append(decoder.data());
                case NEED_MORE -> {
                    return false;
                }
                case END -> {
                    bodyDone = true;
                    conn.bodyRead();
                    body.get().complete(Arrays.copyOf(bodyBytes, bodyLength));
                    return true;
                }
                case ERROR -> {
                    bodyFailed(decoder.error());
                    return true;
                }
            }
        }
    }

    private void append(ByteBuffer data) {
        int n = data.remaining();
        if (bodyLength + n > bodyBytes.length) {
            long max = conn.server().config().limits().bodyBytesMax();
            int grown = (int) Math.min(Math.max((long) bodyBytes.length * 2, bodyLength + n), Math.min(max, Integer.MAX_VALUE - 16));
            bodyBytes = Arrays.copyOf(bodyBytes, grown);
        }
        data.get(bodyBytes, bodyLength, n);
        bodyLength += n;
    }

    /** The body could not be read: malformed, too large, or too slow. */
    void bodyFailed(ParseError error) {
        bodyDone = false;
        body.get().completeExceptionally(new IllegalStateException("request body: " + error.reason()));
        if (response.claimForServer()) {
            sendError(error.status(), true);
        } else {
            conn.abort("request body failed: " + error.reason());
        }
    }

    // ---- response ----------------------------------------------------------------------------

    /** The whole response at once: head, body and end, with Content-Length. */
    void sendWhole(ByteBuffer content) {
        int status = response.status();
        boolean bodyless = Status.bodyless(status);
        byte[] headBytes = commitHead(status, bodyless ? -1 : content.remaining(), false);
        Brigade bb = new Brigade().add(Bucket.Bytes.of(headBytes));
        if (!bodyless && !isHead() && content.hasRemaining()) {
            bb.add(new Bucket.Bytes(content));
        }
        finish(bb);
    }

    /** A file as the whole body: head in memory, content as a file region sent with transferTo. */
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
        int status = response.status();
        boolean bodyless = Status.bodyless(status);
        Brigade bb = new Brigade().add(Bucket.Bytes.of(commitHead(status, bodyless ? -1 : size, false)));
        if (!bodyless && !isHead() && size > 0) {
            bb.add(new Bucket.FileRegion(ch, 0, size, () -> closeQuietly(ch)));
        } else {
            closeQuietly(ch);
        }
        finish(bb);
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
            keepAlive = false;
            conn.closeAfterResponse(false);
        }
        response.headers().remove("Content-Length").set("Content-Type", "text/plain; charset=utf-8");
        forceStatus(status);
        sendWhole(ByteBuffer.wrap((status + " " + Status.reason(status) + "\n").getBytes(StandardCharsets.UTF_8)));
    }

    void streamData(ByteBuffer data, boolean flush) {
        if (!started) {
            startStream();
        }
        Brigade bb = new Brigade();
        if (data.hasRemaining() && !isHead() && !Status.bodyless(statusSent)) {
            streamedLength += data.remaining();
            bb.add(new Bucket.Bytes(data));
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

    private void startStream() {
        int status = response.status();
        String cl = response.headers().get("Content-Length");
        declaredLength = cl == null ? -1 : parseLength(cl);
        commitHead(status, declaredLength, true);
    }

    private void finish(Brigade bb) {
        bb.add(Bucket.Eos.INSTANCE);
        endOfRequest = new Bucket.EndOfRequest(this::transactionDone);
        bb.add(endOfRequest);
        conn.write(bb);
        if (chunked != null) {
            conn.chain().remove(chunked);
            chunked = null;
        }
        conn.responseComplete(this);
    }

    /**
     * Decides framing and persistence and passes the head into the chain (for streams) or returns it
     * (for whole responses, so head and body leave in one gathering write).
     */
    private byte[] commitHead(int status, long contentLength, boolean streaming) {
        started = true;
        statusSent = status;
        keepAlive = conn.mayKeepAlive(this) && bodyDone;
        boolean bodyless = Status.bodyless(status);
        boolean useChunked = streaming && contentLength < 0 && !bodyless && head.version() == HttpVersion.HTTP_1_1;
        if (streaming && contentLength < 0 && !bodyless && !useChunked && !isHead()) {
            keepAlive = false; // HTTP/1.0 without a length: the body ends when the connection does
        }
        ResponseHeadWriter w = conn.headWriter().reset().statusLine(status, Status.reason(status)).raw(DateField.line());
        Headers h = response.headers();
        for (int i = 0; i < h.size(); i++) {
            String name = h.name(i);
            if (!serverOwned(name)) {
                w.field(name, h.value(i));
            }
        }
        if (!bodyless && contentLength >= 0) {
            w.field("Content-Length", contentLength);
        } else if (useChunked) {
            w.field("Transfer-Encoding", "chunked");
        }
        if (!keepAlive) {
            w.field("Connection", "close");
            conn.closeAfterResponse(false);
        } else if (head.version() == HttpVersion.HTTP_1_0) {
            w.field("Connection", "keep-alive");
        }
        byte[] headBytes = w.finish();
        startOffset = conn.chain().network().bytesPassed();
        if (streaming) {
            conn.write(new Brigade().add(Bucket.Bytes.of(headBytes)));
            if (useChunked && !isHead()) {
                chunked = new ChunkedFilter();
                conn.chain().addFirst(chunked);
            }
        }
        return headBytes;
    }

    private static boolean serverOwned(String name) {
        return name.equalsIgnoreCase("Content-Length") || name.equalsIgnoreCase("Transfer-Encoding")
                || name.equalsIgnoreCase("Connection") || name.equalsIgnoreCase("Date");
    }

    private static long parseLength(String value) {
        try {
            long n = Long.parseLong(value.trim());
            return n >= 0 ? n : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private void forceStatus(int status) {
        response.overrideStatus(status);
    }

    private void transactionDone(WriteOutcome outcome) {
        long written = conn.chain().network().bytesWritten();
        long end = endOfRequest.endOffset() >= 0 ? Math.min(written, endOfRequest.endOffset()) : written;
        long sent = Math.max(0, end - startOffset);
        conn.server().transactionDone(new Transaction(conn.id(), conn.remoteAddress(), startMillis,
                head.method(), head.target(), head.version().text(), statusSent, sent,
                request.header("Referer"), request.header("User-Agent"),
                System.nanoTime() - startNanos, outcome == WriteOutcome.COMPLETED));
    }

    /** Called by the connection when it closes under this exchange: the handler's writes are now futile. */
    void abort() {
        aborted = true;
        CompletableFuture<byte[]> f = body.get();
        if (f != null && !f.isDone()) {
            f.completeExceptionally(new IllegalStateException("connection closed"));
        }
    }

    boolean aborted() {
        return aborted;
    }

    boolean started() {
        return started;
    }

    boolean keepAlive() {
        return keepAlive;
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
        return conn.server().bridge().blockingAllowed();
    }
}
