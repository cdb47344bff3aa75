package dev.brigade.net;

import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * A bound, listening, non-blocking socket. Every loop registers it with its own poller and accepts
 * from it through an {@link Acceptor} of its own (an acceptor holds per-thread scratch memory).
 * {@link #close()} is called once, by the server, after the loops stopped accepting.
 */
public interface ListenSocket extends Pollable, AutoCloseable {

    /** The address actually bound (with the real port when 0 was asked for). */
    InetSocketAddress localAddress();

    /** An acceptor for one loop thread. */
    Acceptor newAcceptor();

    @Override
    void close() throws IOException;

    /** Accepts connections from a listening socket, on one thread. */
    interface Acceptor {
        /**
         * A connection waiting in the backlog, non-blocking, or null if none waits. Running out of
         * file descriptors (EMFILE) and other failures are {@link IOException}s, as with NIO.
         */
        Endpoint accept() throws IOException;
    }
}
