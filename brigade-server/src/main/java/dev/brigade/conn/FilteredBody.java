package dev.brigade.conn;

import dev.brigade.api.BodyListener;
import dev.brigade.filter.BodyFilter;
import dev.brigade.http1.ParseError;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * A request body seen through its {@link BodyFilter}s: each read of the handler is answered with
 * what the filters return for the next raw piece, asking the connection for more raw pieces on the
 * handler's behalf while a filter needs more input; at the end, the filters' last bytes come before
 * the end itself. A filter that fails makes the body a 400. Loop thread only.
 */
final class FilteredBody implements BodyListener {

    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    private final Exchange exchange;
    private final List<BodyFilter> filters; // nearest the network first
    private BodyListener reader; // the handler's pending read
    private ByteBuffer tail; // the filters' last bytes, handed out before the end
    private boolean ended;
    private Throwable failure;

    FilteredBody(Exchange exchange, List<BodyFilter> filters) {
        this.exchange = exchange;
        this.filters = filters;
    }

    /** The handler asks for the next piece. */
    void read(BodyListener listener) {
        if (reader != null) {
            listener.onError(new IllegalStateException("a read of this body is already pending"));
        } else if (failure != null) {
            listener.onError(failure);
        } else if (ended) {
            if (tail != null && tail.hasRemaining()) {
                ByteBuffer t = tail;
                tail = null;
                listener.onChunk(t);
            } else {
                listener.onEnd();
            }
        } else {
            reader = listener;
            exchange.readRaw(this);
        }
    }

    @Override
    public void onChunk(ByteBuffer piece) {
        ByteBuffer out;
        try {
            out = through(piece, 0);
        } catch (IOException | RuntimeException e) {
            failed(e);
            return;
        }
        if (out.hasRemaining()) {
            take().onChunk(out);
        } else {
            exchange.readRaw(this); // a filter needs more input before it has anything to hand out
        }
    }

    @Override
    public void onEnd() {
        try {
            tail = finishAll();
        } catch (IOException | RuntimeException e) {
            failed(e);
            return;
        }
        ended = true;
        BodyListener r = take();
        if (tail.hasRemaining()) {
            ByteBuffer t = tail;
            tail = null;
            r.onChunk(t);
        } else {
            r.onEnd();
        }
    }

    @Override
    public void onError(Throwable error) {
        failure = error;
        BodyListener r = take();
        if (r != null) {
            r.onError(error);
        }
    }

    private BodyListener take() {
        BodyListener r = reader;
        reader = null;
        return r;
    }

    /** Passes {@code piece} through the filters from index {@code from} on. */
    private ByteBuffer through(ByteBuffer piece, int from) throws IOException {
        ByteBuffer out = piece;
        for (int i = from; i < filters.size() && out.hasRemaining(); i++) {
            out = filters.get(i).filter(out);
        }
        return out;
    }

    /** Each filter's last bytes go through the filters after it, which then finish in turn. */
    private ByteBuffer finishAll() throws IOException {
        ByteArrayOutputStream all = null;
        for (int i = 0; i < filters.size(); i++) {
            ByteBuffer last = through(filters.get(i).finish(), i + 1);
            if (last.hasRemaining()) {
                if (all == null) {
                    all = new ByteArrayOutputStream(last.remaining());
                }
                byte[] copy = new byte[last.remaining()];
                last.get(copy);
                all.writeBytes(copy);
            }
        }
        return all == null ? EMPTY : ByteBuffer.wrap(all.toByteArray());
    }

    /** A filter refused the body: the handler hears why, the client gets a 400 (if unanswered). */
    private void failed(Exception e) {
        failure = new IllegalStateException("request body refused by a body filter: " + e.getMessage(), e);
        // the server answers first; then the handler hears of it (see Connection#failBody)
        exchange.bodyFilterFailed(new ParseError(400, "request body refused by a body filter: " + e.getMessage()));
        BodyListener r = take();
        if (r != null) {
            r.onError(failure);
        }
    }
}
