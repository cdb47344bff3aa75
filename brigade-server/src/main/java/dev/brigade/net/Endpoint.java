package dev.brigade.net;

import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * A connected, non-blocking TCP socket: the network filters read and write through it
 * ({@link SocketInput}, {@link SocketOutput}), the connection shuts it down and closes it.
 *
 * <p>Loop thread only, once registered. {@link #close()} releases the socket exactly once; later
 * calls do nothing.
 */
public interface Endpoint extends SocketInput, SocketOutput, Pollable {

    /** Sets TCP_NODELAY: responses leave as soon as they are written, not after a delayed ACK. */
    void tcpNoDelay(boolean on) throws IOException;

    /** Sends a FIN after what was written (lingering close); reading goes on. */
    void shutdownOutput() throws IOException;

    /** The peer's address, as it was when the connection was accepted. */
    InetSocketAddress remoteAddress();

    InetSocketAddress localAddress() throws IOException;

    /** Closes the socket; the first call does, the others return at once. */
    void close() throws IOException;

    /** Whether {@link #close()} was called. */
    boolean isClosed();
}
