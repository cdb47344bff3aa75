package dev.brigade.conn;

import dev.brigade.api.BodyListener;
import dev.brigade.filter.Brigade;
import dev.brigade.filter.NetworkFilter;
import dev.brigade.filter.OutputFilter;
import dev.brigade.http1.ParseError;
import dev.brigade.loop.EventLoop;
import java.net.InetSocketAddress;

/**
 * The connection as its exchange sees it: the one narrow way an {@link Exchange} talks to its
 * {@link Connection}. Everything here runs on the connection's loop thread, except the accessors
 * of immutable facts ({@link #id}, {@link #server}, {@link #loop}, {@link #remoteAddress}). The
 * connection alone changes state; an exchange only reports what happened to its response.
 */
interface ExchangeConnection {

    long id();

    ServerContext server();

    EventLoop loop();

    /** The counters of the connection's loop (loop thread only, as every write to them). */
    LoopStats stats();

    InetSocketAddress remoteAddress();

    /** Whether the connection came over TLS. */
    boolean secure();

    /** Whether {@code ex} is still this connection's exchange, in the same generation (not stale). */
    boolean isCurrent(Exchange ex, int generation);

    /** Whether the connection may stay open after {@code ex}'s response, as far as the connection knows. */
    boolean mayKeepAlive(Exchange ex);

    /** Passes response buckets into the top of the output chain. */
    void write(Brigade bb);

    /** The exchange passed its last bucket: the connection goes on to write completion. */
    void responseComplete(Exchange ex);

    /** The connection closes after the current response (lingering; short after errors). */
    void closeAfterResponse(boolean shortLinger);

    /** Closes at once; the reason is logged once, by the connection. */
    void abort(String reason);

    /** The handler parked the exchange: no thread, until a send or its deadline. */
    void suspend();

    /** The handler asks for the next piece of its request body. */
    void demandBody(BodyListener listener);

    /** The request body cannot be read: the connection fails it and the exchange answers the status. */
    void failBody(ParseError error);

    /** Inserts a filter the application gave the response about to start. */
    void addResponseFilter(OutputFilter filter);

    /** The end of the output chain, for the byte counts of the access log. */
    NetworkFilter network();
}
