package dev.brigade.conn;

import dev.brigade.http1.BodyDecoder;
import dev.brigade.http1.BodyFraming;
import dev.brigade.http1.Limits;
import dev.brigade.http1.ParseError;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Collects one request body into memory as its bytes arrive, decoding its framing (length or
 * chunked) and holding it to the body limit, which the decoder enforces (413). Loop thread only.
 */
final class BodyCollector {

    private final BodyDecoder decoder;
    private final long maxBytes;
    private byte[] bytes;
    private int length;

    BodyCollector(BodyFraming framing, Limits limits) {
        this.decoder = BodyDecoder.of(framing, limits);
        this.maxBytes = limits.bodyBytesMax();
        this.bytes = new byte[(int) Math.min(16 * 1024, maxBytes)];
    }

    /** Takes what {@code in} holds of the body: NEED_MORE, END (all of it is here) or ERROR. */
    BodyDecoder.Event feed(ByteBuffer in) {
        while (true) {
            BodyDecoder.Event e = decoder.next(in);
            if (e != BodyDecoder.Event.DATA) {
                return e;
            }
            append(decoder.data());
        }
    }

    private void append(ByteBuffer data) {
        int n = data.remaining();
        if (length + n > bytes.length) {
            long cap = Math.min(maxBytes, Integer.MAX_VALUE - 16);
            bytes = Arrays.copyOf(bytes, (int) Math.min(Math.max((long) bytes.length * 2, length + n), cap));
        }
        data.get(bytes, length, n);
        length += n;
    }

    /** A copy of the whole body, once {@link #feed} returned END. */
    byte[] body() {
        return Arrays.copyOf(bytes, length);
    }

    /** Why the body was refused, once {@link #feed} returned ERROR. */
    ParseError error() {
        return decoder.error();
    }
}
