package dev.brigade.http1;

import java.nio.ByteBuffer;

/**
 * The body of a request with {@code Content-Length}: exactly that many bytes, handed out as they
 * arrive. Bytes beyond the length are never touched: they are the next pipelined request.
 */
public final class LengthDecoder implements BodyDecoder {

    static final ParseError NEGATIVE = new ParseError(400, "negative body length");

    private long remaining;
    private long delivered;
    private ByteBuffer data;
    private HeaderFields trailers;
    private final ParseError error;

    /** A decoder of exactly {@code length} bytes, which must be within {@code limits.bodyBytesMax()}. */
    public LengthDecoder(long length, Limits limits) {
        this.remaining = Math.max(length, 0);
        this.error = length < 0 ? NEGATIVE : length > limits.bodyBytesMax() ? HeadRules.CL_TOO_LARGE : null;
    }

    @Override
    public Event next(ByteBuffer in) {
        if (error != null) {
            return Event.ERROR;
        }
        if (remaining == 0) {
            return Event.END;
        }
        int available = in.remaining();
        if (available == 0) {
            return Event.NEED_MORE;
        }
        int n = (int) Math.min(remaining, available);
        int start = in.position();
        data = in.slice(start, n);
        in.position(start + n);
        remaining -= n;
        delivered += n;
        return Event.DATA;
    }

    @Override
    public ByteBuffer data() {
        return data;
    }

    /** Always empty: only chunked bodies have trailers. */
    @Override
    public HeaderFields trailers() {
        if (trailers == null) {
            trailers = new HeaderFields(); // one per decoder: HeaderFields is mutable, so never shared
        }
        return trailers;
    }

    @Override
    public ParseError error() {
        return error;
    }

    @Override
    public long bodyBytesSoFar() {
        return delivered;
    }
}
