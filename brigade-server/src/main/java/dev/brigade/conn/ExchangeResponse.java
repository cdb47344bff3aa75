package dev.brigade.conn;

import dev.brigade.api.Headers;
import dev.brigade.api.BodyWriter;
import dev.brigade.api.Response;
import dev.brigade.filter.Brigade;
import dev.brigade.filter.BucketResponse;
import dev.brigade.filter.WriteOutcome;
import java.io.OutputStream;
import java.nio.ByteBuffer;

/**
 * The {@link Response} of one exchange. It may be filled on any thread; sending hands the result
 * to the connection's loop, which alone frames and writes it.
 */
final class ExchangeResponse implements Response, BucketResponse, dev.brigade.filter.FilteredResponse {

    private final Exchange exchange;
    private final Headers headers = new Headers(6);
    // claimed once, by the application or the server, from any thread (a field, not an AtomicBoolean per response)
    private volatile boolean sent;
    private static final java.lang.invoke.VarHandle SENT;

    static {
        try {
            SENT = java.lang.invoke.MethodHandles.lookup().findVarHandle(ExchangeResponse.class, "sent", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
    private volatile int status = 200;
    private volatile boolean async;
    private volatile byte[] rawFields;
    private volatile boolean serverClaimed; // the server answered (timeout, error): later sends are dropped
    private OutputStream output;
    private java.util.List<OrderedFilter> filters; // guarded by this; added by the handler, inserted by the loop

    private record OrderedFilter(int order, dev.brigade.filter.OutputFilter filter) {
    }

    ExchangeResponse(Exchange exchange) {
        this.exchange = exchange;
    }

    @Override
    public Response status(int code) {
        if (code < 100 || code > 999) {
            throw new IllegalArgumentException("status out of range: " + code);
        }
        if (sent) {
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
        if (claim()) {
            if (exchange.currentOnLoop()) {
                exchange.writer().sendWhole(body); // an inline handler: the common case, no closure
            } else {
                exchange.onLoop(() -> exchange.writer().sendWhole(body));
            }
        }
    }

    @Override
    public void sendFile(java.nio.file.Path file) {
        if (claim()) {
            exchange.onLoop(() -> exchange.writer().sendFile(file));
        }
    }

    @Override
    public synchronized OutputStream output() {
        if (output == null) {
            output = claim() ? new ResponseOutputStream(exchange) : OutputStream.nullOutputStream();
        }
        return output;
    }

    @Override
    public BodyWriter writer() {
        if (!claim()) {
            return new BodyWriter() { // the server already answered: everything written is dropped
                @Override
                public boolean write(ByteBuffer data) {
                    return true;
                }

                @Override
                public void onWritable(Runnable callback) {
                }

                @Override
                public void end() {
                }
            };
        }
        return new ExchangeBodyWriter(exchange);
    }

    @Override
    public void sendBuckets(Brigade body, long contentLength) {
        if (!claim()) {
            body.completeAll(WriteOutcome.CANCELLED);
            return;
        }
        exchange.onLoop(() -> exchange.writer().sendBody(body, contentLength), () -> body.completeAll(WriteOutcome.CLOSING));
    }

    @Override
    public void rawHeaderFields(byte[] fieldLines) {
        if (sent) {
            throw new IllegalStateException("response already sent");
        }
        rawFields = fieldLines;
    }

    @Override
    public synchronized void addOutputFilter(int order, dev.brigade.filter.OutputFilter filter) {
        if (sent) {
            throw new IllegalStateException("response already sent: add filters before sending");
        }
        if (filters == null) {
            filters = new java.util.ArrayList<>(2);
        }
        filters.add(new OrderedFilter(order, filter));
    }

    /** Puts this response's own filters into the connection's chain, lowest order on top; loop thread. */
    synchronized void insertFilters(ExchangeConnection conn) {
        if (filters == null) {
            return;
        }
        filters.sort(java.util.Comparator.comparingInt(OrderedFilter::order)); // stable: equal orders as added
        for (OrderedFilter f : filters) {
            conn.addResponseFilter(f.filter());
        }
        filters = null;
    }

    byte[] rawFields() {
        return rawFields;
    }

    @Override
    public Response suspend(java.time.Duration timeout, java.util.function.Consumer<Response> onTimeout) {
        async = true;
        exchange.onLoop(() -> exchange.suspend(timeout, onTimeout));
        return this;
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
        return sent;
    }

    /** Marks the response as sent by the application; a second send is a bug in the caller. */
    /**
     * Marks the response as sent by the application. False when the server already answered it (a
     * suspend timeout): the late send is dropped. A second send by the application is a bug in it.
     */
    private boolean claim() {
        if (SENT.compareAndSet(this, false, true)) {
            return true;
        }
        if (serverClaimed) {
            return false;
        }
        throw new IllegalStateException("response already sent");
    }

    /** Sets the status of a response the server claimed for an error answer. */
    void overrideStatus(int code) {
        this.status = code;
    }

    /** Claims the response for the server itself (an error answer); false if the application already sent. */
    boolean claimForServer() {
        boolean claimed = SENT.compareAndSet(this, false, true);
        if (claimed) {
            serverClaimed = true;
        }
        return claimed;
    }
}
