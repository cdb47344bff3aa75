package dev.brigade.net;

import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * A transport: how a server polls for readiness and opens listening sockets. Every socket and
 * poller of one server comes from the same backend (an endpoint can only be registered with a
 * poller of its own kind).
 */
public interface IoBackend {

    /** The transport's name, as the {@code brigade.transport} property spells it: {@code nio} or {@code epoll}. */
    String name();

    /** A new poller, for one event loop. */
    Poller openPoller() throws IOException;

    /**
     * A listening socket bound to {@code address} (port 0: any free port) with SO_REUSEADDR and the
     * given accept backlog, non-blocking. A port in use or an address not of this machine is a
     * {@link java.net.BindException}, as with NIO.
     */
    ListenSocket listen(InetSocketAddress address, int backlog) throws IOException;
}
