package dev.brigade.filter;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Request-level filter framing a body of unknown length with chunked transfer coding
 * (RFC 9112 §7.1): each data bucket becomes size line, data, CRLF; EOS becomes the last chunk.
 * It keeps nothing itself, so it never needs to yield: the data it frames is counted where it
 * waits, in the network filter.
 */
public final class ChunkedFilter extends OutputFilter {

    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] LAST_CHUNK = "0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    public ChunkedFilter() {
        super("chunked");
    }

    @Override
    public void write(Brigade in) throws IOException {
        reinstate(in);
        Brigade out = new Brigade();
        Bucket b;
        while ((b = in.poll()) != null) {
            switch (b) {
                case Bucket.Bytes bytes when bytes.data().hasRemaining() -> {
                    out.add(sizeLine(bytes.data().remaining()));
                    out.add(bytes);
                    out.add(Bucket.Bytes.of(CRLF));
                }
                case Bucket.FileRegion region when region.remaining() > 0 -> {
                    out.add(sizeLine(region.remaining()));
                    out.add(region);
                    out.add(Bucket.Bytes.of(CRLF));
                }
                case Bucket.Eos eos -> {
                    out.add(Bucket.Bytes.of(LAST_CHUNK));
                    out.add(eos);
                }
                default -> out.add(b); // empty data (it would end the body early), flush, end-of-request
            }
        }
        passNext(out);
    }

    private static Bucket sizeLine(long size) {
        return new Bucket.Bytes(ByteBuffer.wrap((Long.toHexString(size) + "\r\n").getBytes(StandardCharsets.US_ASCII)));
    }
}
