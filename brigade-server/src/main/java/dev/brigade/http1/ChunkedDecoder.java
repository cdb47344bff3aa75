package dev.brigade.http1;

import java.nio.ByteBuffer;

/**
 * The body of a request with {@code Transfer-Encoding: chunked} (RFC 9112 §7.1):
 *
 * <pre>
 *   chunked-body = *chunk last-chunk trailer-section CRLF
 *   chunk        = chunk-size [ chunk-ext ] CRLF chunk-data CRLF
 *   chunk-size   = 1*HEXDIG                      (at most 16 digits)
 *   chunk-ext    = *( BWS ";" BWS token [ BWS "=" BWS ( token / quoted-string ) ] )
 * </pre>
 *
 * Chunk data is handed out as it arrives, in slices of the caller's buffer, however the chunk is
 * split across reads. Extensions are checked against the grammar, then ignored.
 *
 * <p>States: {@code SIZE_LINE} (at start, and after each chunk's CRLF), {@code DATA} (inside a
 * chunk's data), {@code DATA_CRLF} (the CRLF that must follow chunk data), {@code TRAILERS}
 * (after the last chunk, until the empty line), then {@code END} or {@code FAILED}.
 *
 * <p>Limits: a chunk-size line longer than {@code fieldBytesMax} is a 400 (such a line is framing,
 * not a header); a chunk that would take the body beyond {@code bodyBytesMax} is a 413 as soon as
 * its size line is read; trailer lines obey the header field rules, {@code fieldBytesMax} and
 * {@code fieldCountMax} (431). Trailers are collected, never merged into the header fields.
 */
public final class ChunkedDecoder implements BodyDecoder {

    static final ParseError BAD_SIZE = new ParseError(400, "invalid chunk size");
    static final ParseError SIZE_TOO_LONG = new ParseError(400, "chunk size with more than 16 hex digits");
    static final ParseError BAD_EXTENSION = new ParseError(400, "invalid chunk extension");
    static final ParseError SIZE_LINE_TOO_LONG = new ParseError(400, "chunk-size line too long");
    static final ParseError NO_CRLF_AFTER_DATA = new ParseError(400, "chunk data not followed by CRLF");
    static final ParseError BODY_TOO_LARGE = new ParseError(413, "chunked body over the body limit");
    static final ParseError TOO_MANY_TRAILERS = new ParseError(431, "too many trailer fields");
    static final ParseError TRAILER_TOO_LONG = new ParseError(431, "trailer field line too long");

    private static final int SIZE_DIGITS_MAX = 16;

    private enum State { SIZE_LINE, DATA, DATA_CRLF, TRAILERS, END, FAILED }

    private final Limits limits;
    private final LineReader lines = new LineReader();
    private final HeaderFields trailers = new HeaderFields();

    private State state = State.SIZE_LINE;
    private long chunkRemaining;
    private long delivered;
    private ByteBuffer data;
    private ParseError error;

    public ChunkedDecoder(Limits limits) {
        this.limits = limits;
    }

    @Override
    public Event next(ByteBuffer in) {
        while (true) {
            ParseError e = null;
            switch (state) {
                case SIZE_LINE -> {
                    int length = lines.next(in, limits.fieldBytesMax());
                    if (length == LineReader.NEED_MORE) {
                        return Event.NEED_MORE;
                    }
                    e = length < 0 ? lineError(length, SIZE_LINE_TOO_LONG) : onSizeLine(lines.line(), length);
                    if (e == null) {
                        in.position(in.position() + length + 2);
                        state = chunkRemaining == 0 ? State.TRAILERS : State.DATA;
                    }
                }
                case DATA -> {
                    return onData(in);
                }
                case DATA_CRLF -> {
                    int available = in.remaining();
                    int at = in.position();
                    if (available > 0 && in.get(at) != Tokens.CR || available > 1 && in.get(at + 1) != Tokens.LF) {
                        e = NO_CRLF_AFTER_DATA;
                    } else if (available < 2) {
                        return Event.NEED_MORE; // a lone CR stays unconsumed, like any incomplete line
                    } else {
                        in.position(at + 2);
                        state = State.SIZE_LINE;
                    }
                }
                case TRAILERS -> {
                    int length = lines.next(in, limits.fieldBytesMax());
                    if (length == LineReader.NEED_MORE) {
                        return Event.NEED_MORE;
                    }
                    e = length < 0 ? lineError(length, TRAILER_TOO_LONG) : onTrailerLine(lines.line(), length);
                    if (e == null) {
                        in.position(in.position() + length + 2);
                        if (length == 0) {
                            state = State.END;
                        }
                    }
                }
                case END -> {
                    return Event.END;
                }
                case FAILED -> {
                    return Event.ERROR;
                }
            }
            if (e != null) {
                error = e;
                state = State.FAILED;
            }
        }
    }

    private Event onData(ByteBuffer in) {
        int available = in.remaining();
        if (available == 0) {
            return Event.NEED_MORE;
        }
        int n = (int) Math.min(chunkRemaining, available);
        int start = in.position();
        data = in.slice(start, n);
        in.position(start + n);
        chunkRemaining -= n;
        delivered += n;
        if (chunkRemaining == 0) {
            state = State.DATA_CRLF;
        }
        return Event.DATA;
    }

    private static ParseError lineError(int code, ParseError tooLong) {
        if (code == LineReader.TOO_LONG) {
            return tooLong;
        }
        return code == LineReader.BARE_CR ? RequestParser.BARE_CR : RequestParser.BARE_LF;
    }

    /** Parses {@code chunk-size [ chunk-ext ]}; sets {@link #chunkRemaining}. */
    private ParseError onSizeLine(byte[] line, int length) {
        int i = 0;
        long size = 0;
        while (i < length && Tokens.hexValue(line[i]) >= 0) {
            if (i == SIZE_DIGITS_MAX) {
                return SIZE_TOO_LONG;
            }
            size = size << 4 | Tokens.hexValue(line[i]);
            i++;
        }
        if (i == 0) {
            return BAD_SIZE;
        }
        if (!ChunkExtensions.valid(line, i, length)) {
            return BAD_EXTENSION;
        }
        // 16 digits can exceed Long.MAX_VALUE: compared unsigned, such a size is simply too large.
        if (Long.compareUnsigned(size, limits.bodyBytesMax() - delivered) > 0) {
            return BODY_TOO_LARGE;
        }
        chunkRemaining = size;
        return null;
    }

    private ParseError onTrailerLine(byte[] line, int length) {
        if (length == 0) {
            return null;
        }
        if (trailers.size() >= limits.fieldCountMax()) {
            return TOO_MANY_TRAILERS;
        }
        return FieldLines.parse(line, length, trailers);
    }

    @Override
    public ByteBuffer data() {
        return data;
    }

    @Override
    public HeaderFields trailers() {
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
