package dev.brigade.conn;

import dev.brigade.api.Status;
import dev.brigade.api.Transaction;
import dev.brigade.buffer.LeakDetector;
import dev.brigade.filter.Brigade;
import dev.brigade.filter.Bucket;
import dev.brigade.filter.NetworkFilter;
import dev.brigade.filter.WriteOutcome;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Writes one exchange's response into its connection's output chain: a head bucket first (the
 * filters below decide its coding and framing and encode it), then the body however the handler
 * gives it (whole, a file, buckets, streamed pieces), then EOS and an end-of-request bucket whose
 * completion reports the {@link Transaction}. Loop thread only: what a handler sends on any thread
 * reaches it through {@link Exchange#onLoop}.
 */
final class ResponseWriter {

    private static final System.Logger LOG = System.getLogger(ResponseWriter.class.getName());

    private final Exchange exchange;
    private final ExchangeConnection conn;
    private final ExchangeRequest request;
    private final ExchangeResponse response;
    private boolean started;
    private int statusSent;
    private long declaredLength = -1;
    private long streamedLength;
    private Bucket.EndOfRequest endOfRequest;

    ResponseWriter(Exchange exchange, ExchangeConnection conn, ExchangeRequest request, ExchangeResponse response) {
        this.exchange = exchange;
        this.conn = conn;
        this.request = request;
        this.response = response;
    }

    /** The whole response at once: head, body and end travel as one brigade, one pass down the chain. */
    void sendWhole(ByteBuffer content) {
        Brigade all = new Brigade().add(startResponse(response.status(), content.remaining()));
        if (content.hasRemaining() && !noBodyOnWire()) {
            all.add(new Bucket.Bytes(content));
        }
        finish(all);
    }

    /** A file as the whole body: the content leaves as a file region, with transferTo. */
    void sendFile(Path file) {
        FileChannel ch;
        try {
            ch = FileChannel.open(file, StandardOpenOption.READ);
        } catch (IOException e) {
            cannotSend(file, e);
            return;
        }
        LeakDetector.Tracker tracker = LeakDetector.trackChannel(ch, file);
        long size;
        try {
            size = ch.size();
        } catch (IOException e) {
            LeakDetector.close(ch, tracker);
            cannotSend(file, e);
            return;
        }
        Brigade body = new Brigade();
        if (size > 0) {
            body.add(new Bucket.FileRegion(ch, 0, size, () -> LeakDetector.close(ch, tracker)));
        } else {
            LeakDetector.close(ch, tracker);
        }
        sendBody(body, size);
    }

    private void cannotSend(Path file, IOException e) {
        LOG.log(System.Logger.Level.WARNING, () -> "conn " + conn.id() + ": cannot open " + file + ": " + e.getMessage());
        sendError(500, false);
    }

    /** A whole body given as buckets (this writer takes them over), with its length or -1. */
    void sendBody(Brigade body, long length) {
        Brigade all = new Brigade().add(startResponse(response.status(), length));
        if (noBodyOnWire()) {
            body.completeAll(WriteOutcome.COMPLETED); // nothing of it goes on the wire
        } else {
            all.takeAll(body);
        }
        finish(all);
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
        StreamGate g = exchange.gate();
        if (n > 0 && !noBodyOnWire()) {
            streamedLength += n;
            bb.add(new Bucket.Bytes(data, null, () -> g.consumed(n)));
        } else {
            g.consumed(n);
        }
        if (flush) {
            bb.add(Bucket.Flush.INSTANCE);
        }
        conn.write(bb);
    }

    /** The last piece of a streamed body, then the end; a length the handler declared must have been kept. */
    void streamEnd(ByteBuffer last) {
        streamData(last, false);
        if (declaredLength >= 0 && streamedLength != declaredLength && !exchange.isHead()) {
            LOG.log(System.Logger.Level.WARNING, () -> "conn " + conn.id() + ": handler declared Content-Length "
                    + declaredLength + " but wrote " + streamedLength + "; closing");
            conn.abort("response length mismatch");
            return;
        }
        finish(new Brigade());
    }

    /** Ends the response: what is left of it, EOS for the filters, then the end-of-request bucket. */
    private void finish(Brigade last) {
        exchange.responseFinished();
        endOfRequest = new Bucket.EndOfRequest(this::transactionDone);
        conn.write(last.add(Bucket.Eos.INSTANCE).add(endOfRequest));
        conn.responseComplete(exchange);
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
                conn.mayKeepAlive(exchange));
    }

    /** Whether no body goes on the wire: a 1xx, 204 or 304 status, or an answer to HEAD. */
    private boolean noBodyOnWire() {
        return Status.bodyless(statusSent) || exchange.isHead();
    }

    boolean started() {
        return started;
    }

    /** Whether the whole response, end included, went into the chain. */
    boolean finished() {
        return endOfRequest != null;
    }

    /**
     * The connection closed under the exchange. If the response never reached its end-of-request
     * bucket (a stream cut short, a handler still working), its transaction is reported here, once,
     * as not completed; otherwise that bucket reports it when the chain discards it.
     */
    void aborted() {
        if (endOfRequest == null) {
            transactionDone(WriteOutcome.CLOSING);
        }
    }

    private void transactionDone(WriteOutcome outcome) {
        long sent = 0;
        if (started) {
            // the bytes between the end of the previous response and this one's end-of-request
            NetworkFilter network = conn.network();
            long written = network.bytesWritten();
            boolean passed = endOfRequest != null && endOfRequest.endOffset() >= 0;
            long start = passed ? endOfRequest.startOffset() : network.lastResponseEnd();
            long end = passed ? Math.min(written, endOfRequest.endOffset()) : written;
            sent = Math.max(0, end - start);
        }
        var head = exchange.head();
        int status = started ? statusSent : 0;
        long duration = System.nanoTime() - exchange.startNanos();
        boolean completed = outcome == WriteOutcome.COMPLETED;
        conn.stats().transactionDone(head.method(), status, sent, duration, completed); // counters: no allocation
        if (!conn.server().reportsTransactions()) {
            return; // nobody listens: build nothing
        }
        conn.server().transactionDone(new Transaction(conn.id(), conn.remoteAddress(), exchange.startMillis(),
                head.method(), head.target(), head.version().text(), status, sent,
                request.header("Referer"), request.header("User-Agent"), duration, completed));
    }

    private static long parseLength(String value) {
        try {
            long n = Long.parseLong(value.trim());
            return n >= 0 ? n : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
