package dev.brigade.conn;

import dev.brigade.filter.Brigade;
import dev.brigade.filter.Bucket;
import dev.brigade.filter.ChunkedFilter;
import dev.brigade.filter.FilterChain;
import dev.brigade.filter.FilterContext;
import dev.brigade.filter.GzipFilter;
import dev.brigade.filter.InputChain;
import dev.brigade.filter.InputRejectedException;
import dev.brigade.filter.Transport;
import dev.brigade.filter.NetworkInput;
import dev.brigade.filter.NetworkFilter;
import dev.brigade.filter.RateLimitFilter;
import dev.brigade.filter.WriteOutcome;
import dev.brigade.http1.ParseError;
import dev.brigade.http1.RequestHead;
import dev.brigade.http1.RequestParser;
import dev.brigade.http1.RequestTarget;
import dev.brigade.loop.EventLoop;
import dev.brigade.loop.IoHandler;
import dev.brigade.loop.TimeoutQueue;
import dev.brigade.net.Endpoint;
import dev.brigade.net.PollKey;
import dev.brigade.net.Poller;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * One client connection and its state machine ({@link ConnState}); owned by one loop for life.
 *
 * <p>The only place where a connection changes state is {@link #transition}, which checks that
 * the move is allowed, re-arms the state's timeout and the selector interest, and returns the read
 * buffer to its pool when the connection goes idle. Bytes are read through the input chain in
 * {@link #fill} ({@link ConnectionInput}; the network read is {@code NetworkInput}), parsed in
 * {@link #processInput}, handed to a handler on demand ({@link RequestBody}), and written by the
 * {@link NetworkFilter} at the end of the output chain.
 *
 * <p>Pipelining: bytes read beyond the current request stay in the read buffer and are parsed,
 * in order, once the current response is complete; the responses of one batch leave together.
 *
 * <p>Why this file is longer than our usual 450 lines: it is the state machine, and every
 * transition and every event that leads to one (readiness, timeouts, a response's end, a body's
 * demand, discarding, lingering) is here, so that a state change is found in one file. What does
 * not change state lives elsewhere: the read side ({@link ConnectionInput}), the body decoder and
 * its demand ({@link RequestBody}), the response ({@link Exchange}), the output filters.
 */
public final class Connection implements IoHandler, ExchangeConnection, FilterContext {

    private static final System.Logger LOG = System.getLogger(Connection.class.getName());
    private static final byte[] CONTINUE = "HTTP/1.1 100 Continue\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final int LINGER_READS_PER_EVENT = 4;

    private final long id;
    private final LoopContext lc;
    private final ServerContext server;
    private final Endpoint channel;
    private InetSocketAddress remote; // asked of the endpoint when first needed (most connections never are); a racing handler thread gets an equal one
    private final NetworkFilter network;
    private final FilterChain chain;
    private final ConnectionInput input;
    private RequestParser parser; // borrowed from the loop while a head is being read
    private final TimeoutQueue.Entry timer = new TimeoutQueue.Entry(this::onTimeout);
    private final boolean secure;

    private PollKey key;
    private int interestOps = -1;
    private ConnState state;
    private int generation;
    private Exchange exchange;
    private RequestBody body; // the current request's body, from its head until read to its end or discarded
    private int requests;
    private long stateStartNanos;
    private long stateBytes;
    private boolean closeAfterResponse;
    private boolean clientDone; // the last request said Connection: close and was read to its end
    private boolean shortLinger;
    private boolean processing;
    private boolean closing;
    private boolean filterStuck; // the last read had room and got nothing: only the socket can bring more
    private boolean filterReadScheduled;

    public Connection(LoopContext lc, Endpoint channel) throws IOException {
        this(lc, channel, null);
    }

    /** @param transport the TLS filter pair of a TLS port, or null for plain HTTP */
    public Connection(LoopContext lc, Endpoint channel, Transport transport) throws IOException {
        this.lc = lc;
        this.secure = transport != null;
        this.server = lc.server;
        this.channel = channel;
        this.id = server.nextConnectionId();
        this.network = new NetworkFilter(channel, lc.gatherScratch, lc.coalesceScratch);
        InputChain inputChain = new InputChain(new NetworkInput(channel));
        var inputFilters = server.connectionInputFilters();
        for (int i = 0; i < inputFilters.size(); i++) { // indexed: no iterator per connection
            inputChain.addFirst(inputFilters.get(i).get());
        }
        if (transport != null) {
            inputChain.addFirst(transport.input()); // above a PROXY-protocol stripper: that preamble precedes the handshake
        }
        inputChain.context(this);
        this.input = new ConnectionInput(inputChain, lc.readBuffers);
        this.chain = new FilterChain(network);
        ConnectionConfig c = server.config();
        chain.waterMarks(c.outputHighWaterBytes(), c.outputLowWaterBytes());
        chain.context(this);
        if (server.bandwidthLimit() > 0) {
            chain.addConnectionFilter(new RateLimitFilter(server.bandwidthLimit()));
        }
        if (transport != null) {
            chain.addConnectionFilter(transport.output()); // under the rate limit: it counts what the client reads
        }
        // the protocol filters, bottom up: each acts on the head that starts a response
        chain.addFirst(new ResponseEncoder(lc.headWriter, lc.headBuffers, lc.loop));
        chain.addFirst(new ChunkedFilter());
        ServerContext.Compression gzip = server.compression();
        if (gzip.enabled()) {
            chain.addFirst(new GzipFilter(gzip.level(), gzip.minBytes()));
        }
    }

    /** Registers with the loop and starts waiting for the first request; loop thread only. */
    public void open() throws IOException {
        channel.tcpNoDelay(true); // an endpoint is non-blocking from its accept
        key = lc.loop.register(channel, 0, this);
        server.connectionsOpenCounter().incrementAndGet();
        transition(ConnState.READ_REQUEST_LINE);
    }

    // ---- events from the loop ----------------------------------------------------------------

    @Override
    public void onReady(int readyOps) {
        if ((readyOps & Poller.WRITE) != 0) {
            onWritable();
        }
        if ((readyOps & Poller.READ) != 0 && state != ConnState.CLOSED) {
            onReadable();
        }
    }

    @Override
    public void onFailure(Throwable failure) {
        LOG.log(System.Logger.Level.ERROR, "conn " + id + ": unexpected failure in state " + state + ", closing", failure);
        close();
    }

    private void onReadable() {
        switch (state) {
            case KEEPALIVE -> {
                transition(ConnState.READ_REQUEST_LINE);
                fill();
            }
            case READ_REQUEST_LINE, READ_BODY, DISCARD_BODY -> fill();
            // While a handler owns the exchange the connection is frozen (nothing is parsed), but it
            // still notices a client that leaves, so a late completion finds it gone; bytes the
            // client pipelined meanwhile wait in the buffer.
            case HANDLER, SUSPENDED -> fill();
            case LINGER -> drainLinger();
            default -> {
                // frozen states have no read interest; a readiness left over from before is ignored
            }
        }
    }

    /** A filter parked its data until a deadline (bandwidth limit): kick the chain then, if still open. */
    @Override
    public void kickAfter(java.time.Duration delay) {
        int gen = generation;
        lc.loop.schedule(delay, () -> {
            if (generation == gen && state != ConnState.CLOSED) {
                onWritable();
            }
        });
    }

    /** A filter finished work off the loop (TLS handshake tasks): read again, on the loop. */
    @Override
    public void resumeInput() {
        int gen = generation;
        lc.loop.execute(() -> {
            if (generation == gen && state != ConnState.CLOSED) {
                onReadable();
            }
        });
    }

    private void onWritable() {
        try {
            long before = network.bytesWritten();
            boolean drained = chain.kick();
            if (state == ConnState.WRITE_COMPLETION) {
                if (network.bytesWritten() != before) {
                    lc.writeQueue.add(timer, lc.loop.nowNanos()); // progress restarts the write timeout
                }
                if (drained) {
                    continueAfterWrite();
                    return;
                }
            }
            updateInterest();
        } catch (IOException e) {
            writeFailed(e);
        }
    }

    private void onTimeout(long nowNanos) {
        ConnectionConfig c = server.config();
        switch (state) {
            case READ_REQUEST_LINE -> {
                if (stateBytes == 0) {
                    lc.stats.timedOut(LoopStats.Timeout.HEADER);
                    close(); // never started a request: nobody to answer
                } else if (!rateDeadlinePassed(nowNanos, c.headerTimeout().toNanos(), c.headerTimeoutMax().toNanos(),
                        c.headerMinRateBytesPerSecond())) {
                    lc.recheckQueue.add(timer, nowNanos);
                } else {
                    lc.stats.timedOut(LoopStats.Timeout.HEADER);
                    shortLinger = true;
                    sendStatusAndClose(408, "request head not received in time");
                }
            }
            case READ_BODY -> {
                if (!rateDeadlinePassed(nowNanos, c.bodyTimeout().toNanos(), Long.MAX_VALUE, c.bodyMinRateBytesPerSecond())) {
                    lc.recheckQueue.add(timer, nowNanos);
                } else {
                    lc.stats.timedOut(LoopStats.Timeout.BODY);
                    shortLinger = true;
                    failBody(new ParseError(408, "request body not received in time"));
                }
            }
            case DISCARD_BODY -> {
                if (!rateDeadlinePassed(nowNanos, c.bodyTimeout().toNanos(), Long.MAX_VALUE, c.bodyMinRateBytesPerSecond())) {
                    lc.recheckQueue.add(timer, nowNanos);
                } else {
                    lc.stats.timedOut(LoopStats.Timeout.BODY);
                    stopDiscarding("unread request body not received in time");
                }
            }
            case WRITE_COMPLETION -> {
                lc.stats.timedOut(LoopStats.Timeout.WRITE);
                abort("no write progress for " + c.writeTimeout().toSeconds() + " s");
            }
            case KEEPALIVE -> {
                lc.stats.timedOut(LoopStats.Timeout.KEEPALIVE);
                close();
            }
            case LINGER -> {
                lc.stats.timedOut(LoopStats.Timeout.LINGER);
                close();
            }
            default -> {
            }
        }
    }

    /** mod_reqtimeout's rule: the deadline grows by one second per {@code rate} bytes received, up to a maximum. */
    private boolean rateDeadlinePassed(long nowNanos, long baseNanos, long maxNanos, int bytesPerSecond) {
        long earned = stateBytes * 1_000_000_000L / bytesPerSecond;
        long deadline = stateStartNanos + Math.min(maxNanos, baseNanos + earned);
        return nowNanos - deadline >= 0;
    }

    // ---- input -------------------------------------------------------------------------------

    /** Reads what the input chain has into the read buffer, then parses it. */
    private void fill() {
        if (body != null && body.pinsReadBuffer()) {
            return; // the handler holds a slice of the buffer: it must not move (a readiness from before)
        }
        int n;
        boolean room = input.hasRoom();
        try {
            n = input.fill();
            filterStuck = n == 0 && room; // the chain had room to fill and gave nothing: wait for the socket
        } catch (InputRejectedException e) {
            rejectInput(e);
            return;
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, () -> "conn " + id + ": read failed: " + e.getMessage());
            close();
            return;
        }
        if (n < 0) {
            onInputClosed();
            return;
        }
        stateBytes += n;
        processInput();
        if (state == ConnState.HANDLER || state == ConnState.SUSPENDED) {
            updateInterest(); // the buffer may be full now: stop reading until the exchange ends
        }
    }

    /** An input filter refused the stream (a failed TLS handshake, plain HTTP on a TLS port): one line, then an answer or a close. */
    private void rejectInput(InputRejectedException e) {
        LOG.log(System.Logger.Level.INFO, () -> "conn " + id + " from " + remoteAddress().getAddress().getHostAddress()
                + ": " + e.getMessage() + (e.status() > 0 ? ", answered " + e.status() : ", closed"));
        if (e.status() > 0 && state == ConnState.READ_REQUEST_LINE) {
            shortLinger = true;
            sendStatusAndClose(e.status(), e.getMessage());
        } else {
            close();
        }
    }

    private void onInputClosed() {
        if (state == ConnState.READ_BODY || state == ConnState.DISCARD_BODY
                || state == ConnState.HANDLER || state == ConnState.SUSPENDED) {
            abort("client closed before its response was sent");
        } else {
            close(); // between requests, or mid-head: nobody is left to answer
        }
    }

    /** Parses buffered input for as long as the state takes input; re-entrant calls return at once. */
    private void processInput() {
        if (processing) {
            return;
        }
        processing = true;
        try {
            boolean more = true;
            while (more) {
                more = switch (state) {
                    case READ_REQUEST_LINE -> parseHead();
                    case HANDLER, SUSPENDED -> startReadingBody();
                    case READ_BODY -> pumpBody();
                    case DISCARD_BODY -> discardBody();
                    default -> false;
                };
            }
        } finally {
            processing = false;
        }
        flushBatch();
    }

    /** One step of head parsing; true if the state changed and parsing should go on. */
    private boolean parseHead() {
        ByteBuffer b = input.buffer();
        if (!b.hasRemaining()) {
            return false;
        }
        switch (parser.parse(b)) {
            case NEED_MORE -> {
                if (b.remaining() == b.capacity()) {
                    sendStatusAndClose(400, "request line or field does not fit the read buffer");
                    return true;
                }
                return false;
            }
            case ERROR -> {
                ParseError e = parser.error();
                sendStatusAndClose(e.status(), e.reason());
                return true;
            }
            case HEAD_DONE -> {
                startExchange(parser.head());
                return true;
            }
        }
        return false;
    }

    private void startExchange(RequestHead head) {
        RequestTarget target = RequestTarget.parse(head.target());
        if (target == null) {
            sendStatusAndClose(400, "invalid percent-encoding in the request target");
            return;
        }
        requests++;
        server.countRequest();
        body = head.framing() instanceof dev.brigade.http1.BodyFraming.None ? null
                : new RequestBody(head.framing(), server.config().limits(), head.expectContinue());
        exchange = new Exchange(this, generation, head, target, requests, lc.loop.nowNanos());
        transition(ConnState.HANDLER);
        dev.brigade.dispatch.Bridge bridge = exchange.route();
        if (server.draining()) {
            exchange.reject();
        } else {
            bridge.dispatch(exchange);
            lc.loop.refreshNow(); // an inline handler ran for as long as it took: timeouts start after it
        }
    }

    // ---- request body: handed out on demand, discarded if left unread ----------------------

    /** The handler asks for the next piece of its body (on the loop, for the current exchange). */
    @Override
    public void demandBody(dev.brigade.api.BodyListener listener) {
        if (body == null) {
            listener.onEnd(); // no body: it ends at once
            return;
        }
        if (body.demand(listener) && !exchange.started()) {
            sendContinue(); // the client waits for this before it sends the body (never after a final answer)
        }
        if (!processing) {
            processInput();
        }
    }

    /** In HANDLER or SUSPENDED: a demand for the body moves to READ_BODY; true if it did. */
    private boolean startReadingBody() {
        if (body == null || !body.hasDemand()) {
            return false;
        }
        transition(ConnState.READ_BODY);
        return true;
    }

    /** Hands buffered body bytes to the handler's demand; true if the state changed and parsing should go on. */
    private boolean pumpBody() {
        RequestBody.Step step = body.pump(input.buffer());
        if (state != ConnState.READ_BODY) {
            return true; // the handler answered (or failed) from its callback: go on in the new state
        }
        switch (step) {
            case NEED_INPUT -> {
                return false; // wait for readable
            }
            case FAILED -> {
                failBody(body.error());
                return true;
            }
            default -> {
                transition(ConnState.HANDLER); // the handler holds a piece, or the body ended
                return false;
            }
        }
    }

    /** The body cannot be read (malformed, too large, too slow): the handler hears of it, the client gets the status. */
    @Override
    public void failBody(ParseError error) {
        // the server answers before the handler hears of it: a handler that fails on hearing it must
        // find the response already claimed, not claim it for a 500 and race the status
        RequestBody b = body;
        if (b != null) {
            b.recordFailure(error);
        }
        if (exchange != null) {
            exchange.bodyFailed(error);
        }
        if (b != null) {
            b.fail(error);
        }
    }

    /** Reads and drops an unread body after its response; true if the state changed and parsing should go on. */
    private boolean discardBody() {
        switch (body.discard(input.buffer(), server.config().bodyDiscardBytesMax())) {
            case NEED_INPUT -> {
                return false;
            }
            case ENDED -> {
                body = null;
                transition(ConnState.WRITE_COMPLETION);
                continueAfterWrite(); // the next pipelined request, or keep-alive
                return true;
            }
            default -> {
                stopDiscarding("unread request body: " + body.error().reason());
                return false;
            }
        }
    }

    /** Gives up discarding: the connection closes once the response has left (lingering drains the rest). */
    private void stopDiscarding(String reason) {
        LOG.log(System.Logger.Level.DEBUG, () -> "conn " + id + ": closing after the response: " + reason);
        body = null;
        closeAfterResponse(true);
        transition(ConnState.WRITE_COMPLETION);
        continueAfterWrite();
    }

    /** One read: whether the client sent nothing since its request (or already ended its side). */
    private boolean nothingMoreArrived() {
        try {
            return input.discard(lc.lingerBuffer) <= 0; // more than 0: discarded, and the close lingers
        } catch (IOException e) {
            return true; // reset by the client: nothing left to protect
        }
    }

    private void drainLinger() {
        ByteBuffer discard = lc.lingerBuffer;
        try {
            for (int i = 0; i < LINGER_READS_PER_EVENT; i++) {
                int n = input.discard(discard);
                if (n < 0) {
                    close();
                    return;
                }
                if (n == 0) {
                    return;
                }
            }
        } catch (IOException e) {
            close();
        }
    }

    // ---- output ------------------------------------------------------------------------------

    /** Passes response data into the chain; a failed write closes the connection. */
    @Override
    public void write(Brigade bb) {
        if (state == ConnState.CLOSED) {
            bb.completeAll(WriteOutcome.CLOSING);
            return;
        }
        try {
            chain.write(bb);
        } catch (IOException e) {
            writeFailed(e);
            return;
        }
        if (!processing) {
            updateInterest();
        }
    }

    /** The interim 100 (Continue): before the response started, it goes down the chain untouched. */
    private void sendContinue() {
        write(new Brigade().add(Bucket.Bytes.of(CONTINUE)).add(Bucket.Flush.INSTANCE));
    }

    /** The exchange passed its last bucket: the response exists, the handler is done with the connection. */
    @Override
    public void responseComplete(Exchange ex) {
        if (state == ConnState.CLOSED || exchange != ex) {
            return;
        }
        exchange = null;
        clientDone = !ex.head().keepAlive() && (body == null || body.ended());
        if (body != null && !body.ended()) {
            body.cancelDemand("the response is complete");
            if (!closeAfterResponse && !body.failed()) {
                transition(ConnState.DISCARD_BODY); // the rest of the body must go before the next request
                if (!processing) {
                    processInput();
                }
                return;
            }
        }
        body = null;
        transition(ConnState.WRITE_COMPLETION);
        continueAfterWrite();
    }

    /**
     * In write completion: close once everything left, go on with pipelined input, or go idle.
     * Called after a response completes and each time the socket drains.
     */
    private void continueAfterWrite() {
        try {
            boolean filtersDone = chain.dropDrainedRequestFilters();
            if (closeAfterResponse) {
                if (filtersDone && chain.kick()) {
                    startLinger();
                } else {
                    updateInterest();
                }
            } else if (input.hasUnparsed()) {
                // Pipelining: answer the next request while this response is still leaving, within
                // the connection's memory budget and httpd's FlushMaxPipelined; never while a filter
                // the application gave this response still holds data (the next one would overtake it).
                if (filtersDone && overBudget()) {
                    network.flush(); // what the socket takes now may bring us back under the marks
                }
                if (!filtersDone || overBudget()) {
                    updateInterest(); // the client must read before we answer more
                    return;
                }
                transition(ConnState.READ_REQUEST_LINE);
                processInput();
            } else if (filtersDone && chain.kick()) {
                if (server.draining()) {
                    startLinger(); // graceful stop: the response in flight is done; no more on this connection
                } else {
                    transition(ConnState.KEEPALIVE);
                }
            } else {
                updateInterest();
            }
        } catch (IOException e) {
            writeFailed(e);
        }
    }

    /** Whether the output held for this client is over its budget (memory, or queued responses). */
    private boolean overBudget() {
        return !chain.writable() || network.queuedResponses() >= server.config().pipelinedResponsesMax();
    }

    /** At the end of a parsing batch, the responses gathered so far leave in one write. */
    private void flushBatch() {
        if (state == ConnState.CLOSED) {
            return;
        }
        try {
            if (network.hasSetAside()) {
                network.flush();
            }
            if (state == ConnState.WRITE_COMPLETION && !chain.pending()) {
                // Everything left during this batch, after the connection had decided to wait for the
                // socket (pipelining over its budget): no writability event will come to move it on.
                int gen = generation;
                lc.loop.execute(() -> {
                    if (generation == gen && state == ConnState.WRITE_COMPLETION) {
                        continueAfterWrite();
                    }
                });
            }
            updateInterest();
        } catch (IOException e) {
            writeFailed(e);
        }
    }

    /** Answers a request that never became an exchange (parse errors, 408) and closes after it. */
    private void sendStatusAndClose(int status, String reason) {
        LOG.log(System.Logger.Level.DEBUG, () -> "conn " + id + ": " + status + " " + reason);
        closeAfterResponse = true;
        input.skipUnparsed(); // what follows a bad head is not a request
        transition(ConnState.WRITE_COMPLETION);
        write(RejectedRequest.response(status, lc.loop.epochSecond(), lc.headWriter, network, transaction -> {
            lc.stats.transactionDone("-", transaction.status(), transaction.bytesSent(), transaction.durationNanos(),
                    transaction.completed());
            server.transactionDone(transaction.forConnection(id, remoteAddress()));
        }));
        if (state != ConnState.CLOSED) {
            continueAfterWrite();
        }
    }

    // ---- state machine -----------------------------------------------------------------------

    /** The one place where the state changes: checks the move, arms the state's timeout and interest. */
    private void transition(ConnState to) {
        ConnState from = state;
        if (from != null && !from.canMoveTo(to)) {
            throw new IllegalStateException("conn " + id + ": illegal transition " + from + " -> " + to);
        }
        state = to;
        lc.stats.moved(from, to);
        long now = lc.loop.nowNanos(); // at most one slice old: the loop re-reads it after an inline handler
        timer.cancel();
        if (to == ConnState.READ_REQUEST_LINE) {
            if (parser == null) {
                parser = lc.acquireParser();
            }
        } else if (parser != null) {
            lc.releaseParser(parser); // the head was complete (its objects are its own) or is abandoned
            parser = null;
        }
        switch (to) {
            case READ_REQUEST_LINE -> {
                stateStartNanos = now;
                stateBytes = input.unparsed();
                lc.headerQueue.add(timer, now);
            }
            case READ_BODY, DISCARD_BODY -> {
                stateStartNanos = now;
                stateBytes = 0;
                lc.bodyQueue.add(timer, now);
            }
            case HANDLER, SUSPENDED, CLOSED -> {
            }
            case WRITE_COMPLETION -> lc.writeQueue.add(timer, now);
            case KEEPALIVE -> {
                input.release();
                chain.trim();
                lc.keepAliveQueue.add(timer, now);
            }
            case LINGER -> {
                input.release();
                (shortLinger ? lc.shortLingerQueue : lc.lingerQueue).add(timer, now);
            }
        }
        if (to != ConnState.CLOSED && !processing) {
            updateInterest(); // while parsing a batch, the batch's end sets the interest once
        }
    }

    private void updateInterest() {
        int ops = switch (state) {
            case READ_REQUEST_LINE, READ_BODY, DISCARD_BODY, KEEPALIVE, LINGER -> Poller.READ;
            case HANDLER, SUSPENDED -> input.hasRoom() && (body == null || !body.pinsReadBuffer())
                    ? Poller.READ : 0;
            default -> 0;
        };
        if (chain.wantsWritable()) {
            ops |= Poller.WRITE;
        }
        if (ops != interestOps && key.isValid()) {
            key.interestOps(ops);
            interestOps = ops;
        }
        if ((ops & Poller.READ) != 0 && state != ConnState.LINGER) {
            readFilterBuffered();
        }
    }

    /**
     * A filter holds input the socket will not announce again (TLS records already received and
     * not yet decrypted, or decrypted bytes that did not fit): read them on the loop's next pass, as
     * if the socket were readable. Not after a read that had room and got nothing: a filter that
     * cannot make progress (half a record) waits for the socket instead of spinning the loop.
     */
    private void readFilterBuffered() {
        if (filterReadScheduled || filterStuck || !input.hasBuffered()) {
            return;
        }
        filterReadScheduled = true;
        int gen = generation;
        lc.loop.execute(() -> {
            filterReadScheduled = false;
            if (generation == gen && state != ConnState.CLOSED) {
                onReadable();
            }
        });
    }

    /** The handler parked its exchange: no thread, no reads, until a send or the exchange's deadline. */
    @Override
    public void suspend() {
        if (state == ConnState.HANDLER) {
            transition(ConnState.SUSPENDED);
        }
    }

    /**
     * Ends the connection after its last response: in stages (httpd's lingering close: a FIN, then
     * reading until the client's), so that what the client still sends cannot make the kernel
     * answer with a reset that destroys the response before the client read it. Not when the client
     * asked for the close and everything it sent was read (RFC 9112, 9.6: it sends no more): then
     * the socket closes at once, as nginx does, saving a shutdown and a wake-up per connection.
     * "Everything" includes what reached the socket while the response was leaving (we were not
     * reading then): one read looks, since closing over unread bytes makes the kernel send a reset
     * that can destroy the response's last bytes before the client reads them. Bytes a client sends
     * after the close still meet a reset, as with nginx; a client keeping to 9.6 sends none. Over
     * TLS the stages stay (the client's close_notify may follow).
     */
    private void startLinger() {
        if (clientDone && !secure && !input.hasUnparsed() && nothingMoreArrived()) {
            close();
            return;
        }
        shortLinger |= server.draining(); // during a graceful stop lingering is short, however it began
        try {
            chain.closeOutbound(); // TLS's close_notify, before the FIN
            channel.shutdownOutput();
        } catch (IOException e) {
            close();
            return;
        }
        transition(ConnState.LINGER);
    }

    /**
     * A write failed: the client went away (a DEBUG line), or a file region could not be sent whole
     * (a WARNING: the operator's file changed under a response). Either way the connection closes.
     */
    private void writeFailed(IOException e) {
        if (e instanceof dev.brigade.filter.FileTruncatedException && state != ConnState.CLOSED) {
            LOG.log(System.Logger.Level.WARNING, "conn " + id + ": response cut short, closing: " + e.getMessage());
            close();
        } else {
            abort("write failed: " + e.getMessage());
        }
    }

    /** Closes at once after an error; the reason is logged here, once. */
    @Override
    public void abort(String reason) {
        if (state != ConnState.CLOSED) {
            LOG.log(System.Logger.Level.DEBUG, () -> "conn " + id + ": closing in " + state + ": " + reason);
            close();
        }
    }

    /** Closes the connection: pending writes complete as CLOSING first, then the socket goes. */
    public void close() {
        if (state == ConnState.CLOSED || closing) {
            return;
        }
        closing = true; // completions below run application callbacks; they must not close us again
        Exchange ex = exchange;
        exchange = null; // from here on, anything the handler sends is a stale completion
        if (ex != null) {
            ex.gate().close();
        }
        if (body != null) {
            body.cancelDemand("connection closed"); // a handler waiting for its body hears of it
            body = null;
        }
        if (!chain.pending() && state != ConnState.LINGER) {
            try {
                chain.closeOutbound(); // no record cut short, so TLS's close_notify can follow; best effort
            } catch (IOException | RuntimeException e) {
                LOG.log(System.Logger.Level.TRACE, () -> "conn " + id + ": no close_notify: " + e.getMessage());
            }
        }
        chain.discardAll(WriteOutcome.CLOSING);
        if (ex != null) {
            ex.abort();
        }
        transition(ConnState.CLOSED);
        generation++;
        input.close();
        key.cancelBeforeClose();
        try {
            channel.close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, () -> "conn " + id + ": close failed: " + e.getMessage());
        }
        server.connectionsOpenCounter().decrementAndGet();
    }

    /** Graceful stop: idle connections close now, the others after their current response. */
    public void closeIfIdle() {
        if (state == ConnState.KEEPALIVE || (state == ConnState.READ_REQUEST_LINE && stateBytes == 0)) {
            close();
        } else {
            shortLinger = true;
        }
    }

    // ---- for the exchange --------------------------------------------------------------------

    @Override
    public boolean isCurrent(Exchange ex, int exGeneration) {
        return exchange == ex && generation == exGeneration && state != ConnState.CLOSED;
    }

    /** Whether the connection can serve another request after this exchange's response. */
    @Override
    public boolean mayKeepAlive(Exchange ex) {
        // while draining, a request already pipelined behind this one is still answered (503), so
        // this response must not announce the close
        return !closeAfterResponse && ex.head().keepAlive() && (!server.draining() || input.hasUnparsed())
                && ex.number() < server.config().keepAliveRequestsMax()
                && (body == null || body.discardableWithin(server.config().bodyDiscardBytesMax()));
    }

    /** A filter found the response's framing cannot keep the connection (HTTP/1.0 without a length). */
    @Override
    public void closeAfterResponse() {
        closeAfterResponse(false);
    }

    @Override
    public void closeAfterResponse(boolean shortLingerAfter) {
        closeAfterResponse = true;
        shortLinger |= shortLingerAfter;
    }

    /** Inserts a filter the application gave the response about to start (loop thread). */
    @Override
    public void addResponseFilter(dev.brigade.filter.OutputFilter filter) {
        chain.addRequestFilter(filter);
    }

    @Override
    public NetworkFilter network() {
        return network;
    }

    @Override
    public EventLoop loop() {
        return lc.loop;
    }

    @Override
    public LoopStats stats() {
        return lc.stats;
    }

    @Override
    public ServerContext server() {
        return server;
    }

    @Override
    public long id() {
        return id;
    }

    public ConnState state() {
        return state;
    }

    @Override
    public InetSocketAddress remoteAddress() {
        if (remote == null) {
            remote = channel.remoteAddress();
        }
        return remote;
    }

    @Override
    public boolean secure() {
        return secure;
    }

    /** Whether this connection holds a pooled read buffer (idle ones must not). */
    public boolean holdsReadBuffer() {
        return input.holdsBuffer();
    }
}
