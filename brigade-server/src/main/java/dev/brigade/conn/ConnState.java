package dev.brigade.conn;

/**
 * The states of a connection (httpd's {@code conn_state_e}). Every connection is in exactly one;
 * {@link Connection#transition} is the only way between them, and each state has one timeout.
 *
 * <table>
 *   <caption>States, what the loop waits for, and the timeout</caption>
 *   <tr><th>state</th><th>entered when</th><th>waits for</th><th>timeout</th></tr>
 *   <tr><td>READ_REQUEST_LINE</td><td>accepted; first byte after keep-alive; pipelined bytes left</td>
 *       <td>readable</td><td>header: 20 s + 1 s per 500 B, at most 40 s → 408, short linger</td></tr>
 *   <tr><td>READ_BODY</td><td>the handler asked for the next piece of its body and the read buffer
 *       has none; left as soon as a piece is handed out (the handler holds it: HANDLER)</td><td>readable</td>
 *       <td>body: 20 s + 1 s per 500 B, from the demand → 408</td></tr>
 *   <tr><td>DISCARD_BODY</td><td>the response is complete but its request body was not read to the
 *       end: the rest is read and dropped, up to a bound, so the connection can serve the next request</td>
 *       <td>readable</td><td>body, as READ_BODY → close after the response</td></tr>
 *   <tr><td>HANDLER</td><td>a head was parsed and dispatched; frozen: nothing is parsed</td>
 *       <td>readable, only to notice a client that leaves (bytes are buffered, not parsed), and not
 *       while the handler holds a piece of the body (a slice of the read buffer)</td>
 *       <td>none (the handler's)</td></tr>
 *   <tr><td>WRITE_COMPLETION</td><td>the response is complete; bytes may still be leaving</td>
 *       <td>writable</td><td>60 s without progress → close</td></tr>
 *   <tr><td>SUSPENDED</td><td>a handler parked the exchange (no thread)</td>
 *       <td>a resume from any thread; readable as in HANDLER</td><td>the caller's deadline → 503</td></tr>
 *   <tr><td>KEEPALIVE</td><td>between requests; holds no buffer</td><td>readable</td>
 *       <td>5 s → close</td></tr>
 *   <tr><td>LINGER</td><td>closing: output shut down, draining input so the peer reads our last response</td>
 *       <td>readable</td><td>30 s, or 2 s after errors and timeouts</td></tr>
 *   <tr><td>CLOSED</td><td>gone; late completions are dropped by generation</td><td>—</td><td>—</td></tr>
 * </table>
 */
public enum ConnState {
    READ_REQUEST_LINE,
    READ_BODY,
    DISCARD_BODY,
    HANDLER,
    WRITE_COMPLETION,
    SUSPENDED,
    KEEPALIVE,
    LINGER,
    CLOSED;

    private static final java.util.Map<ConnState, java.util.Set<ConnState>> NEXT = new java.util.EnumMap<>(java.util.Map.of(
            READ_REQUEST_LINE, java.util.EnumSet.of(HANDLER, WRITE_COMPLETION, CLOSED),
            READ_BODY, java.util.EnumSet.of(HANDLER, WRITE_COMPLETION, DISCARD_BODY, CLOSED),
            DISCARD_BODY, java.util.EnumSet.of(WRITE_COMPLETION, CLOSED),
            HANDLER, java.util.EnumSet.of(READ_BODY, WRITE_COMPLETION, DISCARD_BODY, SUSPENDED, CLOSED),
            SUSPENDED, java.util.EnumSet.of(HANDLER, READ_BODY, WRITE_COMPLETION, DISCARD_BODY, CLOSED),
            WRITE_COMPLETION, java.util.EnumSet.of(READ_REQUEST_LINE, KEEPALIVE, LINGER, CLOSED),
            KEEPALIVE, java.util.EnumSet.of(READ_REQUEST_LINE, CLOSED),
            LINGER, java.util.EnumSet.of(CLOSED),
            CLOSED, java.util.EnumSet.noneOf(ConnState.class)));

    /** Whether a connection in this state may move to {@code next} (the table above, as code). */
    public boolean canMoveTo(ConnState next) {
        return NEXT.get(this).contains(next);
    }
}
