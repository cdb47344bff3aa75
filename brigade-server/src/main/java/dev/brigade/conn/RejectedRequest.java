package dev.brigade.conn;

import dev.brigade.api.Status;
import dev.brigade.api.Transaction;
import dev.brigade.filter.Brigade;
import dev.brigade.filter.Bucket;
import dev.brigade.filter.NetworkFilter;
import dev.brigade.filter.WriteOutcome;
import dev.brigade.http1.ResponseHeadWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * The answer to a request that never became an exchange (a parse error, a head that came too
 * slowly): a short plain-text page with {@code Connection: close}, ending in an end-of-request
 * bucket that reports the transaction, with method and target unknown ("-").
 */
final class RejectedRequest {

    private RejectedRequest() {
    }

    /** A transaction still missing the connection's identity. */
    record Partial(long startEpochMillis, int status, long bytesSent, long durationNanos, boolean completed) {
        Transaction forConnection(long connectionId, InetSocketAddress remote) {
            return new Transaction(connectionId, remote, startEpochMillis, "-", "-", "HTTP/1.1", status, bytesSent,
                    null, null, durationNanos, completed);
        }
    }

    static Brigade response(int status, long epochSecond, ResponseHeadWriter w, NetworkFilter network,
            Consumer<Partial> done) {
        byte[] body = (status + " " + Status.reason(status) + "\n").getBytes(StandardCharsets.UTF_8);
        byte[] head = w.reset().statusLine(status, Status.reason(status)).raw(DateField.line(epochSecond))
                .field("Content-Type", "text/plain; charset=utf-8").field("Content-Length", body.length)
                .field("Connection", "close").finish();
        long start = network.bytesPassed();
        long startNanos = System.nanoTime();
        long startMillis = System.currentTimeMillis();
        long length = head.length + body.length;
        return new Brigade().add(Bucket.Bytes.of(head)).add(Bucket.Bytes.of(body)).add(Bucket.Eos.INSTANCE)
                .add(new Bucket.EndOfRequest(outcome -> done.accept(new Partial(startMillis, status,
                        Math.min(length, Math.max(0, network.bytesWritten() - start)),
                        System.nanoTime() - startNanos, outcome == WriteOutcome.COMPLETED))));
    }
}
