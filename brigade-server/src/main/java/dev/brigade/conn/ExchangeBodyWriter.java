package dev.brigade.conn;

import dev.brigade.api.BodyWriter;
import java.nio.ByteBuffer;

/** The non-blocking {@link BodyWriter} of one exchange; pieces are counted by its {@link StreamGate}. */
final class ExchangeBodyWriter implements BodyWriter {

    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    private final Exchange exchange;
    private volatile boolean ended;

    ExchangeBodyWriter(Exchange exchange) {
        this.exchange = exchange;
    }

    @Override
    public boolean write(ByteBuffer data) {
        if (ended) {
            throw new IllegalStateException("body already ended");
        }
        exchange.gate().handedOver(data.remaining());
        exchange.onLoop(() -> exchange.writer().streamData(data, false));
        return exchange.gate().hasRoom() && !exchange.aborted();
    }

    @Override
    public void onWritable(Runnable callback) {
        // later, not now: room is made when a filter consumes a piece, in the middle of its write;
        // a callback that writes at once would re-enter that filter (gzip lost pieces so)
        exchange.gate().whenRoom(() -> exchange.onLoopLater(callback));
    }

    @Override
    public void end() {
        if (!ended) {
            ended = true;
            exchange.onLoop(() -> exchange.writer().streamEnd(EMPTY));
        }
    }
}
