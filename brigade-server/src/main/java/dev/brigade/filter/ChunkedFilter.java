package dev.brigade.filter;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Frames bodies of unknown length with chunked transfer coding (RFC 9112 §7.1), and owns that
 * decision: on each response {@link Bucket.Head} it chunks when the body's length is unknown, the
 * request is HTTP/1.1 and a body goes on the wire (not for HEAD, 1xx, 204, 304), and marks the head
 * so; then each data bucket becomes size line, data, CRLF, and EOS the last chunk. Lives as long as
 * its connection. It keeps nothing itself, so it never needs to yield: the data it frames is counted
 * where it waits, in the network filter.
 */
public final class ChunkedFilter extends OutputFilter {

    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] LAST_CHUNK = "0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    private boolean chunking;

    public ChunkedFilter() {
        super("chunked");
    }

    @Override
    public void write(Brigade in) throws IOException {
        if (!chunking && !decideHeads(in)) {
            passNext(in); // neither framing a body nor starting one (the common case: a known length)
            return;
        }
        Brigade out = new Brigade();
        Bucket b;
        while ((b = in.poll()) != null) {
            switch (b) {
                case Bucket.Head head -> {
                    chunking = chunks(head);
                    head.chunked(chunking);
                    out.add(head);
                }
                case Bucket.Bytes bytes when chunking && bytes.data().hasRemaining() -> {
                    out.add(sizeLine(bytes.data().remaining()));
                    out.add(bytes);
                    out.add(Bucket.Bytes.of(CRLF));
                }
                case Bucket.FileRegion region when chunking && region.remaining() > 0 -> {
                    out.add(sizeLine(region.remaining()));
                    out.add(region);
                    out.add(Bucket.Bytes.of(CRLF));
                }
                case Bucket.Eos eos when chunking -> {
                    chunking = false;
                    out.add(Bucket.Bytes.of(LAST_CHUNK));
                    out.add(eos);
                }
                default -> out.add(b); // empty data (it would end the body early), flush, end-of-request
            }
        }
        passNext(out);
    }

    /** Whether this response's body is chunked: length unknown, HTTP/1.1, and a body on the wire. */
    private static boolean chunks(Bucket.Head head) {
        return !head.noBodyOnWire() && head.contentLength() < 0 && head.http11();
    }

    /** Marks each head in {@code in} as not chunked until one that is: true if one starts a chunked body. */
    private static boolean decideHeads(Brigade in) {
        for (int i = 0; i < in.size(); i++) {
            if (in.get(i) instanceof Bucket.Head head) {
                if (chunks(head)) {
                    return true;
                }
                head.chunked(false);
            }
        }
        return false;
    }

    private static Bucket sizeLine(long size) {
        return new Bucket.Bytes(ByteBuffer.wrap((Long.toHexString(size) + "\r\n").getBytes(StandardCharsets.US_ASCII)));
    }
}
