package dev.brigade.net.epoll;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.brigade.net.ListenSocket;
import dev.brigade.net.Poller;
import dev.brigade.net.SocketTransportTest;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What the epoll acceptor hands over with a socket, without allocating per connection: TCP_NODELAY
 * already set (read back with {@code getsockopt}), and the peer's address kept raw and decoded
 * when first asked, also after the socket closed.
 */
class EpollAcceptTest {

    private static final MethodHandle GETSOCKOPT = Linker.nativeLinker().downcallHandle(
            Linker.nativeLinker().defaultLookup().find("getsockopt").orElseThrow(),
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));

    @BeforeAll
    static void epollIsHere() {
        assumeTrue(EpollBackend.unavailableReason() == null, "the epoll transport is not available here");
    }

    @Test
    void anAcceptedSocketHasNoDelaySetAndKnowsItsPeer() throws Throwable {
        EpollBackend epoll = EpollBackend.get();
        try (Poller poller = epoll.openPoller();
                ListenSocket listener = epoll.listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
                Socket client = new Socket()) {
            client.connect(listener.localAddress());
            EpollEndpoint server = (EpollEndpoint) SocketTransportTest.acceptOne(poller, listener);
            try {
                assertThat(noDelay(server.fd())).as("TCP_NODELAY of the accepted socket").isEqualTo(1);
                server.tcpNoDelay(false);
                assertThat(noDelay(server.fd())).as("TCP_NODELAY after turning it off").isZero();
                server.tcpNoDelay(true);
                assertThat(noDelay(server.fd())).as("TCP_NODELAY on again").isEqualTo(1);
            } finally {
                server.close();
            }
            InetSocketAddress peer = server.remoteAddress(); // first asked after the close: decoded from what accept4 wrote
            assertThat(peer.getAddress()).isEqualTo(client.getLocalAddress());
            assertThat(peer.getPort()).isEqualTo(client.getLocalPort());
            assertThat(server.remoteAddress()).isSameAs(peer);
        }
    }

    @Test
    void aListenerThatDoesNotPassNoDelayOnIsCoveredSocketBySocket() throws Throwable {
        EpollBackend epoll = EpollBackend.get();
        try (Poller poller = epoll.openPoller();
                EpollListenSocket listener = (EpollListenSocket) epoll.listen(
                        new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16)) {
            setNoDelay(listener.fd(), 0); // as on a kernel that does not copy it to accepted sockets
            ListenSocket.Acceptor acceptor = listener.newAcceptor(); // one, as a loop has
            for (int i = 0; i < 3; i++) { // what the first socket showed must hold for the next ones
                try (Socket client = new Socket()) {
                    client.connect(listener.localAddress());
                    EpollEndpoint server = (EpollEndpoint) SocketTransportTest.acceptOne(poller, listener, acceptor);
                    try {
                        assertThat(noDelay(server.fd())).as("TCP_NODELAY of accepted socket %d", i + 1).isEqualTo(1);
                    } finally {
                        server.close();
                    }
                }
            }
        }
    }

    private static final MethodHandle SETSOCKOPT = Linker.nativeLinker().downcallHandle(
            Linker.nativeLinker().defaultLookup().find("setsockopt").orElseThrow(),
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));

    private static void setNoDelay(int fd, int on) throws Throwable {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment value = arena.allocate(JAVA_INT);
            value.set(JAVA_INT, 0, on);
            int rc = (int) SETSOCKOPT.invokeExact(fd, LibC.IPPROTO_TCP, LibC.TCP_NODELAY, value, 4);
            assertThat(rc).as("setsockopt").isZero();
        }
    }

    private static int noDelay(int fd) throws Throwable {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment value = arena.allocate(JAVA_INT);
            MemorySegment length = arena.allocate(JAVA_INT);
            length.set(JAVA_INT, 0, 4);
            int rc = (int) GETSOCKOPT.invokeExact(fd, LibC.IPPROTO_TCP, LibC.TCP_NODELAY, value, length);
            assertThat(rc).as("getsockopt").isZero();
            return value.get(JAVA_INT, 0);
        }
    }
}
