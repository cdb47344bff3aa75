package dev.brigade.conn;

import dev.brigade.api.Headers;
import dev.brigade.api.Status;
import dev.brigade.buffer.RefBuf;
import dev.brigade.buffer.SizeClassPools;
import dev.brigade.filter.Brigade;
import dev.brigade.filter.Bucket;
import dev.brigade.filter.OutputFilter;
import dev.brigade.filter.WriteOutcome;
import dev.brigade.http1.ResponseHeadWriter;
import dev.brigade.loop.EventLoop;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The HTTP/1 encoder, lowest of a connection's protocol filters: turns each response
 * {@link Bucket.Head}, as the filters above left it, into its bytes (RFC 9112 §4, §6): status line,
 * {@code Date}, the fields, then what the server owns: {@code Content-Length} when the length is
 * known, {@code Transfer-Encoding} when the chunking filter chunks, and {@code Connection}. A
 * response whose end the client could not find otherwise (HTTP/1.0 without a length) closes the
 * connection after it. Everything else passes untouched. Never holds anything.
 */
final class ResponseEncoder extends OutputFilter {

    private static final byte[] CHUNKED = ascii("Transfer-Encoding: chunked\r\n");
    private static final byte[] CLOSE = ascii("Connection: close\r\n");
    private static final byte[] KEEP_ALIVE = ascii("Connection: keep-alive\r\n");

    private final ResponseHeadWriter writer; // the loop's: used within one call
    private final SizeClassPools headBuffers; // the loop's: a head leaves from pooled memory, not a new array
    private final EventLoop loop; // its clock dates the response

    ResponseEncoder(ResponseHeadWriter writer, SizeClassPools headBuffers, EventLoop loop) {
        super("http1-encoder");
        this.writer = writer;
        this.headBuffers = headBuffers;
        this.loop = loop;
    }

    @Override
    public void write(Brigade in) throws IOException {
        if (in.first() instanceof Bucket.Head head) { // the common case, a whole response: encoded in place
            in.poll();
            in.addFirst(encode(head));
            head.complete(WriteOutcome.COMPLETED);
        }
        if (!in.containsHead()) {
            passNext(in);
            return;
        }
        Brigade out = new Brigade();
        Bucket b;
        while ((b = in.poll()) != null) {
            if (b instanceof Bucket.Head head) {
                out.add(encode(head));
                head.complete(WriteOutcome.COMPLETED);
            } else {
                out.add(b);
            }
        }
        passNext(out);
    }

    private Bucket.Bytes encode(Bucket.Head h) {
        boolean bodyless = Status.bodyless(h.status());
        long length = h.contentLength();
        boolean keepAlive = h.keepAlive() && (h.noBodyOnWire() || length >= 0 || h.chunked());
        if (!keepAlive) {
            context().closeAfterResponse();
        }
        ResponseHeadWriter w = writer.reset().statusLine(h.status(), Status.reason(h.status())).raw(DateField.line(loop.epochSecond()));
        Headers headers = h.headers();
        for (int i = 0; i < headers.size(); i++) {
            String name = headers.name(i);
            if (!serverOwned(name)) {
                w.field(name, headers.value(i));
            }
        }
        if (h.rawFields() != null) {
            w.raw(h.rawFields());
        }
        if (!bodyless && length >= 0) {
            w.contentLength(length);
        } else if (h.chunked()) {
            w.raw(CHUNKED);
        }
        if (!keepAlive) {
            w.raw(CLOSE);
        } else if (!h.http11()) {
            w.raw(KEEP_ALIVE);
        }
        int headBytes = w.finishedLength();
        if (headBytes > headBuffers.largest()) {
            return Bucket.Bytes.of(w.finish()); // a head of many kilobytes: rare, copied
        }
        RefBuf memory = headBuffers.acquire(headBytes);
        ByteBuffer bytes = memory.buffer();
        w.finishInto(bytes);
        bytes.flip();
        return new Bucket.Bytes(bytes, memory); // released when the head has left
    }

    /** Fields the server writes itself, whatever the application set. */
    static boolean serverOwned(String name) {
        char c = name.isEmpty() ? ' ' : (char) (name.charAt(0) | 0x20);
        if (c != 'c' && c != 't' && c != 'd') {
            return false; // most names: no comparison at all
        }
        return name.equalsIgnoreCase("Content-Length") || name.equalsIgnoreCase("Transfer-Encoding")
                || name.equalsIgnoreCase("Connection") || name.equalsIgnoreCase("Date");
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
