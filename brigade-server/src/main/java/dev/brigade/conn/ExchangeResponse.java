package dev.brigade.conn;

import dev.brigade.api.Headers;
import dev.brigade.api.BodyWriter;
import dev.brigade.api.Response;
import dev.brigade.filter.Brigade;
import dev.brigade.filter.BucketResponse;
import dev.brigade.filter.WriteOutcome;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The {@link Response} of one exchange. It may be filled on any thread; sending hands the result
 * to the connection's loop, which alone frames and writes it.
 */
final class ExchangeResponse implements Response, BucketResponse {

    private final Exchange exchange;
    private final Headers headers = new Headers(6);
    private final AtomicBoolean sent = new AtomicBoolean();
    private volatile int status = 200;
    private volatile boolean async;
    private volatile byte[] rawFields;
    private ResponseOutputStream output;

    ExchangeResponse(Exchange exchange) {
        this.exchange = exchange;
    }

    @Override
    public Response status(int code) {
        if (code < 100 || code > 999) {
            throw new IllegalArgumentException("status out of range: " + code);
        }
        if (sent.get()) {
            throw new IllegalStateException("response already sent");
        }
        this.status = code;
        return this;
    }

    @Override
    public int status() {
        return status;
    }

    @Override
    public Headers headers() {
        return headers;
    }

    @Override
    public void send(byte[] body) {
        send(ByteBuffer.wrap(body));
    }

    @Override
    public void send(ByteBuffer body) {
        claim();
        exchange.onLoop(() -> exchange.sendWhole(body));
    }

    @Override
    public void sendFile(java.nio.file.Path file) {
        claim();
        exchange.onLoop(() -> exchange.sendFile(file));
    }

    @Override
    public synchronized OutputStream output() {
        if (output == null) {
            claim();
            output = new ResponseOutputStream(exchange);
        }
        return output;
    }

    @Override
    public BodyWriter writer() {
        claim();
        return new ExchangeBodyWriter(exchange);
    }

    @Override
    public void sendBuckets(Brigade body, long contentLength) {
        claim();
        exchange.onLoop(() -> exchange.sendBody(body, contentLength), () -> body.completeAll(WriteOutcome.CLOSING));
    }

    @Override
    public void rawHeaderFields(byte[] fieldLines) {
        if (sent.get()) {
            throw new IllegalStateException("response already sent");
        }
        rawFields = fieldLines;
    }

    byte[] rawFields() {
        return rawFields;
    }

    @Override
    public Response async() {
        async = true;
        return this;
    }

    boolean isAsync() {
        return async;
    }

    @Override
    public boolean committed() {
        return sent.get();
    }

    /** Marks the response as sent by the application; a second send is a bug in the caller. */
    private void claim() {
        if (!sent.compareAndSet(false, true)) {
            throw new IllegalStateException("response already sent");
        }
    }

    /** Sets the status of a response the server claimed for an error answer. */
    void overrideStatus(int code) {
        this.status = code;
    }

    /** Claims the response for the server itself (an error answer); false if the application already sent. */
    boolean claimForServer() {
        return sent.compareAndSet(false, true);
    }
}
