package dev.brigade.conn;

import dev.brigade.api.BodyListener;
import dev.brigade.http1.BodyDecoder;
import dev.brigade.http1.BodyFraming;
import dev.brigade.http1.Limits;
import dev.brigade.http1.ParseError;
import java.nio.ByteBuffer;

/**
 * The request body of one exchange as the connection sees it: a pure decoder over the read buffer
 * and the handler's demand. A piece is handed out only when asked for, as a slice of the read
 * buffer; until the handler asks again the slice is its own, so the connection reads nothing more
 * (the buffer must not move under it). After the response, whatever the handler left unread is
 * discarded here, up to a bound. Loop thread only.
 */
final class RequestBody {

    /** What the connection should do after {@link #pump} or {@link #discard}. */
    enum Step {
        /** The handler holds a piece (or has not asked): read nothing more for now. */
        WAIT_DEMAND,
        /** The handler asked and the buffer is used up: read from the socket. */
        NEED_INPUT,
        /** The body ended (and, when discarding, every byte of it is gone). */
        ENDED,
        /** Malformed, over the body limit, or over the discard bound: see {@link #error()}. */
        FAILED
    }

    private final BodyDecoder decoder;
    private final long declaredLength; // -1 when chunked
    private final boolean expectsContinue;
    private BodyListener demand;
    private boolean pieceOut;
    private boolean demandedOnce;
    private boolean ended;
    private ParseError error;
    private long discardedBytes;

    RequestBody(BodyFraming framing, Limits limits, boolean expectsContinue) {
        this.decoder = BodyDecoder.of(framing, limits);
        this.declaredLength = framing instanceof BodyFraming.Length(long n) ? n : -1;
        this.expectsContinue = expectsContinue;
    }

    /**
     * Records the handler's next {@code read}; it releases the piece handed out before.
     *
     * @return true if this is the first demand of a body whose client waits for 100 (Continue)
     */
    boolean demand(BodyListener listener) {
        if (demand != null) {
            listener.onError(new IllegalStateException("a read of this body is already pending"));
            return false;
        }
        pieceOut = false;
        boolean first = !demandedOnce;
        demandedOnce = true;
        if (ended) {
            listener.onEnd();
        } else if (error != null) {
            listener.onError(failure(error));
        } else {
            demand = listener;
        }
        return first && expectsContinue && !ended && error == null;
    }

    /** Hands buffered input to the handler's demand, one piece per demand, until one of them is missing. */
    Step pump(ByteBuffer in) {
        while (demand != null) {
            switch (decoder.next(in)) {
                case DATA -> {
                    BodyListener l = demand;
                    demand = null;
                    pieceOut = true;
                    l.onChunk(decoder.data().asReadOnlyBuffer()); // may ask again at once: the loop goes on
                }
                case NEED_MORE -> {
                    return Step.NEED_INPUT;
                }
                case END -> {
                    ended = true;
                    BodyListener l = demand;
                    demand = null;
                    l.onEnd();
                    return Step.ENDED;
                }
                case ERROR -> {
                    error = decoder.error(); // the connection answers first, then tells the reader
                    return Step.FAILED;
                }
            }
        }
        return ended ? Step.ENDED : Step.WAIT_DEMAND;
    }

    /** Reads and drops buffered body bytes; more than {@code max} bytes in all is FAILED (close instead). */
    Step discard(ByteBuffer in, long max) {
        demand = null;
        pieceOut = false;
        while (true) {
            switch (decoder.next(in)) {
                case DATA -> {
                    discardedBytes += decoder.data().remaining();
                    if (discardedBytes > max) {
                        error = new ParseError(413, "unread request body over the discard bound");
                        return Step.FAILED;
                    }
                }
                case NEED_MORE -> {
                    return Step.NEED_INPUT;
                }
                case END -> {
                    ended = true;
                    return Step.ENDED;
                }
                case ERROR -> {
                    error = decoder.error();
                    return Step.FAILED;
                }
            }
        }
    }

    /** The body cannot be read (its decoder failed, or it was too slow): recorded, nobody told yet. */
    void recordFailure(ParseError why) {
        if (error == null && !ended) {
            error = why;
        }
    }

    /** The body cannot be read; a pending read hears of it. */
    void fail(ParseError why) {
        recordFailure(why);
        BodyListener l = demand;
        demand = null;
        if (l != null) {
            l.onError(failure(error != null ? error : why));
        }
    }

    /** The exchange is over (closed, or answered before the handler asked again): a pending read fails. */
    void cancelDemand(String why) {
        BodyListener l = demand;
        demand = null;
        if (l != null) {
            l.onError(error != null ? failure(error) : new IllegalStateException(why));
        }
    }

    /**
     * Whether what is left of the body can be discarded within {@code max} bytes, as far as is
     * known now: a declared length says so exactly; a chunked body is given the chance (the
     * connection closes if it runs over). A client that waits for 100 (Continue) and never got it
     * will not send its body at all, so nothing can be discarded: its connection must close.
     */
    boolean discardableWithin(long max) {
        if (ended) {
            return true;
        }
        if (error != null || (expectsContinue && !demandedOnce)) {
            return false;
        }
        return declaredLength < 0 || declaredLength - decoder.bodyBytesSoFar() <= max;
    }

    /** A slice of the read buffer is in the handler's hands: the buffer must not be compacted or refilled. */
    boolean pinsReadBuffer() {
        return pieceOut;
    }

    boolean hasDemand() {
        return demand != null;
    }

    boolean ended() {
        return ended;
    }

    boolean failed() {
        return error != null;
    }

    ParseError error() {
        return error;
    }

    private static Throwable failure(ParseError e) {
        return new IllegalStateException("request body: " + e.status() + " " + e.reason());
    }
}
