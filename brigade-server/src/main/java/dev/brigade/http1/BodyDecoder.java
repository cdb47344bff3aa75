package dev.brigade.http1;

import java.nio.ByteBuffer;

/**
 * Decodes one request body from the bytes after its head, framed as the head said: a fixed
 * length ({@link LengthDecoder}) or chunked ({@link ChunkedDecoder}). Pure, like the head parser.
 *
 * <p>Use, one instance per request body, made by {@link #of}:
 * <ol>
 *   <li>{@link #next} with the bytes received so far, starting at {@code in.position()}.</li>
 *   <li>{@link Event#DATA}: {@link #data()} is the next piece of the body, a slice sharing
 *       {@code in}'s memory (not a copy; valid as long as those bytes of {@code in} are), and
 *       {@code in.position()} is past it. Call again: more may already be in the buffer.</li>
 *   <li>{@link Event#NEED_MORE}: everything usable was consumed; an incomplete chunk-size or
 *       trailer line (or the CR of a chunk's closing CRLF) is left at {@code in.position()}, to be
 *       handed back followed by more bytes, exactly as for {@link RequestParser}.</li>
 *   <li>{@link Event#END}: the body is complete; {@code in.position()} is just past its last byte
 *       (for chunked, past the CRLF ending the trailer section), so a pipelined request may
 *       follow. {@link #trailers()} holds the trailer fields.</li>
 *   <li>{@link Event#ERROR}: {@link #error()} says what to answer; close the connection after.</li>
 * </ol>
 * After END or ERROR, further calls return the same event and consume nothing.
 */
public sealed interface BodyDecoder permits LengthDecoder, ChunkedDecoder {

    /** What a call to {@link #next} produced. */
    enum Event { DATA, NEED_MORE, END, ERROR }

    /** Decodes from {@code in.position()} up to {@code in.limit()}; see the interface javadoc. */
    Event next(ByteBuffer in);

    /** The body bytes of the last {@link Event#DATA}: a slice of the buffer passed to next. */
    ByteBuffer data();

    /** The trailer fields after {@link Event#END}; empty unless the body was chunked and had some. */
    HeaderFields trailers();

    /** Why decoding failed after {@link Event#ERROR}, else null. */
    ParseError error();

    /** Body bytes delivered as DATA so far (decoded bytes: chunk framing not counted). */
    long bodyBytesSoFar();

    /**
     * A decoder for {@code framing}: {@link BodyFraming#NONE} gives one already at END. A declared
     * length beyond {@code limits.bodyBytesMax()} fails with 413 on the first call (the parser
     * rejects such heads already; this guards decoders made from other framings).
     */
    static BodyDecoder of(BodyFraming framing, Limits limits) {
        return switch (framing) {
            case BodyFraming.None none -> new LengthDecoder(0, limits);
            case BodyFraming.Length(long length) -> new LengthDecoder(length, limits);
            case BodyFraming.Chunked chunked -> new ChunkedDecoder(limits);
        };
    }
}
