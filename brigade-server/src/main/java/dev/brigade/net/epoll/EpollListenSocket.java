package dev.brigade.net.epoll;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import dev.brigade.net.Endpoint;
import dev.brigade.net.ListenSocket;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A listening socket of the epoll transport: {@code socket}, SO_REUSEADDR, {@code bind},
 * {@code listen}, non-blocking and close-on-exec. IPv6 addresses (and the IPv4 wildcard, as NIO
 * does) get a dual-stack IPv6 socket ({@code IPV6_V6ONLY} off); other IPv4 addresses an IPv4 one.
 * Each loop accepts through its own {@link Acceptor}, whose address buffer and errno are its own.
 */
final class EpollListenSocket implements ListenSocket {

    private final int fd;
    private final InetSocketAddress local;
    private final AtomicBoolean closed = new AtomicBoolean();

    private EpollListenSocket(int fd, InetSocketAddress local) {
        this.fd = fd;
        this.local = local;
    }

    static EpollListenSocket open(InetSocketAddress address, int backlog) throws IOException {
        if (address.isUnresolved()) {
            throw new java.nio.channels.UnresolvedAddressException();
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment errno = arena.allocate(LibC.CAPTURE_LAYOUT);
            boolean preferV4 = Boolean.getBoolean("java.net.preferIPv4Stack");
            int family = SockAddr.familyFor(address.getAddress(), !preferV4);
            int fd = LibC.socket(errno, family, LibC.SOCK_STREAM | LibC.SOCK_NONBLOCK | LibC.SOCK_CLOEXEC, 0);
            if (fd < 0 && family == LibC.AF_INET6 && address.getAddress().getAddress().length == 4) {
                family = LibC.AF_INET; // no IPv6 on this machine: the IPv4 wildcard on an IPv4 socket
                fd = LibC.socket(errno, family, LibC.SOCK_STREAM | LibC.SOCK_NONBLOCK | LibC.SOCK_CLOEXEC, 0);
            }
            if (fd < 0) {
                throw LibC.exception(errno);
            }
            try {
                MemorySegment one = arena.allocate(JAVA_INT);
                one.set(JAVA_INT, 0, 1);
                MemorySegment zero = arena.allocate(JAVA_INT);
                check(errno, LibC.setsockopt(errno, fd, LibC.SOL_SOCKET, LibC.SO_REUSEADDR, one, 4));
                // Linux gives an accepted socket the listener's TCP_NODELAY: one call here instead of
                // one per connection (each acceptor checks that on its first socket, see below)
                check(errno, LibC.setsockopt(errno, fd, LibC.IPPROTO_TCP, LibC.TCP_NODELAY, one, 4));
                if (family == LibC.AF_INET6) {
                    check(errno, LibC.setsockopt(errno, fd, LibC.IPPROTO_IPV6, LibC.IPV6_V6ONLY, zero, 4));
                }
                MemorySegment sockaddr = arena.allocate(SockAddr.STORAGE_BYTES, 8);
                int length = SockAddr.encode(address, family, sockaddr);
                check(errno, LibC.bind(errno, fd, sockaddr, length));
                check(errno, LibC.listen(errno, fd, backlog < 1 ? 50 : backlog));
                return new EpollListenSocket(fd, localAddressOf(fd));
            } catch (IOException | RuntimeException e) {
                LibC.close(errno, fd);
                throw e;
            }
        }
    }

    private static void check(MemorySegment errno, int result) throws IOException {
        if (result < 0) {
            throw LibC.exception(errno);
        }
    }

    /** {@code getsockname}, as NIO reports it (an IPv4 address bound through a dual-stack socket is IPv4). */
    static InetSocketAddress localAddressOf(int fd) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment errno = arena.allocate(LibC.CAPTURE_LAYOUT);
            MemorySegment sockaddr = arena.allocate(SockAddr.STORAGE_BYTES, 8);
            MemorySegment length = arena.allocate(JAVA_INT);
            length.set(JAVA_INT, 0, SockAddr.STORAGE_BYTES);
            check(errno, LibC.getsockname(errno, fd, sockaddr, length));
            return SockAddr.decode(sockaddr);
        }
    }

    int fd() {
        return fd;
    }

    @Override
    public InetSocketAddress localAddress() {
        return local;
    }

    @Override
    public Acceptor newAcceptor() {
        return new EpollAcceptor();
    }

    /** Closes the descriptor, once; the loops cancelled their keys before (the number may be reused at once). */
    @Override
    public void close() throws IOException {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment errno = arena.allocate(LibC.CAPTURE_LAYOUT);
            if (LibC.close(errno, fd) < 0 && LibC.errno(errno) != LibC.EINTR) {
                throw LibC.exception(errno);
            }
        }
    }

    @Override
    public String toString() {
        return "epoll listening socket " + fd + " on " + local;
    }

    /** {@code accept4} for one loop thread, with its own memory for the peer's address. */
    private final class EpollAcceptor implements Acceptor {
        private final MemorySegment errno;
        private final MemorySegment sockaddr;
        private final MemorySegment length;
        private final MemorySegment option;
        private final MemorySegment optionLength;
        private boolean noDelayInherited; // seen on this acceptor's first socket; until then, each one is asked

        EpollAcceptor() {
            Arena arena = Arena.ofAuto();
            errno = arena.allocate(LibC.CAPTURE_LAYOUT);
            sockaddr = arena.allocate(SockAddr.STORAGE_BYTES, 8);
            length = arena.allocate(JAVA_INT);
            option = arena.allocate(JAVA_INT);
            optionLength = arena.allocate(JAVA_INT);
        }

        /**
         * Makes sure the new socket has TCP_NODELAY: inherited from the listener, or set here. False
         * if a call failed: a socket the peer already reset, which is closed like one that
         * {@code accept4} reports aborted.
         */
        private boolean noDelay(int client) {
            if (noDelayInherited) {
                return true;
            }
            optionLength.set(JAVA_INT, 0, 4);
            if (LibC.getsockopt(errno, client, LibC.IPPROTO_TCP, LibC.TCP_NODELAY, option, optionLength) < 0) {
                return false;
            }
            if (option.get(JAVA_INT, 0) != 0) {
                noDelayInherited = true;
                return true;
            }
            option.set(JAVA_INT, 0, 1); // a kernel (or a listener) that does not pass it on: one call per socket
            return LibC.setsockopt(errno, client, LibC.IPPROTO_TCP, LibC.TCP_NODELAY, option, 4) >= 0;
        }

        @Override
        public Endpoint accept() throws IOException {
            while (true) {
                length.set(JAVA_INT, 0, SockAddr.STORAGE_BYTES);
                int client = LibC.accept4(errno, fd, sockaddr, length, LibC.SOCK_NONBLOCK | LibC.SOCK_CLOEXEC);
                if (client >= 0) {
                    // every connection wants TCP_NODELAY; here, the calls need no memory of their own
                    if (!noDelay(client)) {
                        LibC.close(errno, client); // never became an endpoint: closed here, its one place
                        continue;
                    }
                    try {
                        return new EpollEndpoint(client, new SockAddr.Peer(sockaddr));
                    } catch (IOException e) {
                        LibC.close(errno, client); // never became an endpoint: closed here, its one place
                        throw e;
                    }
                }
                int e = LibC.errno(errno);
                if (e == LibC.EAGAIN) {
                    return null;
                }
                // EINTR, and a connection reset while it waited in the backlog: try the next one
                if (e != LibC.EINTR && e != LibC.ECONNABORTED) {
                    throw LibC.exception(e); // EMFILE and friends: the listener logs and tries again later
                }
            }
        }
    }
}
