package dev.brigade.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.brigade.net.epoll.EpollBackend;
import java.io.IOException;
import java.io.InputStream;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Both transports, with real sockets on loopback, held to the same answers: what NIO's channels
 * answer is what the epoll endpoint must answer (0 for a full socket, -1 at the end of stream, an
 * exception for a reset), and the poller reports readiness the same way. Every wait is for an
 * event (a poll, a latch, a read); the time limits only keep a broken build from hanging.
 */
public class SocketTransportTest {

    @TempDir
    Path dir;

    static Stream<IoBackend> backends() {
        List<IoBackend> all = new ArrayList<>(List.of(NioBackend.INSTANCE));
        if (EpollBackend.unavailableReason() == null) {
            all.add(EpollBackend.get());
        }
        return all.stream();
    }

    /** A listening socket on loopback, a poller, and a connected pair: client (java.net) and server endpoint. */
    private static final class Pair implements AutoCloseable {
        final Poller poller;
        final ListenSocket listener;
        final Socket client;
        final Endpoint server;
        final PollKey key;

        Pair(IoBackend backend, InetAddress address, int clientReceiveBuffer) throws IOException {
            poller = backend.openPoller();
            listener = backend.listen(new InetSocketAddress(address, 0), 16);
            client = new Socket();
            if (clientReceiveBuffer > 0) {
                client.setReceiveBufferSize(clientReceiveBuffer);
            }
            client.connect(listener.localAddress());
            server = acceptOne(poller, listener);
            server.tcpNoDelay(true);
            key = poller.register(server, 0, "server");
        }

        /** Polls until {@code ops} is ready on this pair's key; fails after 10 s (a hang guard, not a timing check). */
        int await(int ops) throws IOException {
            key.interestOps(ops);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            int[] ready = new int[1];
            while (ready[0] == 0) {
                assertThat(System.nanoTime() - deadline).as("readiness %d within 10 s", ops).isNegative();
                poller.select(100, k -> ready[0] |= k.readyOps());
            }
            key.interestOps(0);
            return ready[0];
        }

        @Override
        public void close() throws IOException {
            key.cancel();
            server.close();
            client.close();
            listener.close();
            poller.close();
        }
    }

    /** Accepts one connection through {@code poller} (10 s at most); also used by the epoll transport's own tests. */
    public static Endpoint acceptOne(Poller poller, ListenSocket listener) throws IOException {
        return acceptOne(poller, listener, listener.newAcceptor());
    }

    /** As {@link #acceptOne(Poller, ListenSocket)}, through a given acceptor (one per loop in the server). */
    public static Endpoint acceptOne(Poller poller, ListenSocket listener, ListenSocket.Acceptor acceptor) throws IOException {
        PollKey key = poller.register(listener, Poller.ACCEPT, "listener");
        try {
            while (true) {
                Endpoint e = acceptor.accept();
                if (e != null) {
                    return e;
                }
                int[] ready = new int[1];
                poller.select(10_000, k -> ready[0] |= k.readyOps());
                assertThat(ready[0]).as("a connection to accept").isEqualTo(Poller.ACCEPT);
            }
        } finally {
            key.cancel();
            poller.select(0, k -> { }); // NIO forgets a cancelled key (and lets its channel register again) at a select
        }
    }

    private static byte[] pattern(int length, int seed) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            b[i] = (byte) (i * 31 + seed);
        }
        return b;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void aFullSocketTakesPartOfAGatheringWriteAndIsWritableAgainOnceTheReaderDrains(IoBackend backend) throws Exception {
        try (Pair p = new Pair(backend, InetAddress.getLoopbackAddress(), 4096)) {
            // heap and direct pieces, as the network filter mixes them: the bytes must arrive in order
            byte[] heap = pattern(3 << 20, 1);
            byte[] direct = pattern(3 << 20, 2);
            ByteBuffer[] pieces = {ByteBuffer.wrap(heap), ByteBuffer.allocateDirect(direct.length).put(direct).flip(),
                ByteBuffer.wrap(heap, 0, 1000)};
            long total = heap.length + direct.length + 1000;
            long written = 0;
            long n;
            while ((n = p.server.write(pieces, 0, pieces.length)) > 0) {
                written += n;
            }
            assertThat(n).as("a full socket takes nothing (EAGAIN)").isZero();
            assertThat(written).as("the socket took only part of it").isLessThan(total);

            CompletableFuture<byte[]> received = CompletableFuture.supplyAsync(() -> {
                try {
                    return p.client.getInputStream().readNBytes((int) total);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            while (written < total) {
                assertThat(p.await(Poller.WRITE)).isEqualTo(Poller.WRITE);
                written += p.server.write(pieces, 0, pieces.length);
            }
            byte[] expected = new byte[(int) total];
            System.arraycopy(heap, 0, expected, 0, heap.length);
            System.arraycopy(direct, 0, expected, heap.length, direct.length);
            System.arraycopy(heap, 0, expected, heap.length + direct.length, 1000);
            assertThat(received.get(30, TimeUnit.SECONDS)).isEqualTo(expected);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void readsWhatThePeerSentThenMinusOneAtItsEndOfStream(IoBackend backend) throws Exception {
        try (Pair p = new Pair(backend, InetAddress.getLoopbackAddress(), 0)) {
            ByteBuffer heap = ByteBuffer.allocate(64);
            assertThat(p.server.read(heap)).as("nothing sent yet").isZero();
            p.client.getOutputStream().write("hello".getBytes());
            p.client.shutdownOutput();
            assertThat(p.await(Poller.READ)).isEqualTo(Poller.READ);
            assertThat(p.server.read(heap)).isEqualTo(5);
            assertThat(new String(heap.array(), 0, heap.position())).isEqualTo("hello");
            ByteBuffer direct = ByteBuffer.allocateDirect(16);
            assertThat(p.server.read(direct)).isEqualTo(-1);
            assertThat(p.server.read(direct)).isEqualTo(-1);
            // the other direction still works after the peer's FIN, and our FIN reaches it
            assertThat(p.server.write(ByteBuffer.wrap("bye".getBytes()))).isEqualTo(3);
            p.server.shutdownOutput();
            InputStream in = p.client.getInputStream();
            assertThat(in.readAllBytes()).asString().isEqualTo("bye");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void aPeerThatResetsMidResponseIsAnIOExceptionNotASignal(IoBackend backend) throws Exception {
        try (Pair p = new Pair(backend, InetAddress.getLoopbackAddress(), 4096)) {
            ByteBuffer response = ByteBuffer.allocateDirect(1 << 20);
            while (p.server.write(response.clear()) > 0) {
                // until the socket is full: the response is mid-way
            }
            p.client.setSoLinger(true, 0);
            p.client.close(); // RST
            assertThat(p.await(Poller.READ | Poller.WRITE)).isNotZero();
            assertThatThrownBy(() -> {
                for (int i = 0; i < 100; i++) { // the reset is seen by the first call; the loop only bounds a surprise
                    p.server.write(response.clear());
                    p.server.read(ByteBuffer.allocate(16));
                }
            }).isInstanceOf(IOException.class);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void wakeupFromAnotherThreadEndsASelectBlockedWithoutTimeout(IoBackend backend) throws Exception {
        try (Poller poller = backend.openPoller()) {
            CountDownLatch selecting = new CountDownLatch(1);
            CompletableFuture<Integer> selected = CompletableFuture.supplyAsync(() -> {
                selecting.countDown();
                try {
                    return poller.select(Long.MAX_VALUE / 2, k -> { });
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            assertThat(selecting.await(10, TimeUnit.SECONDS)).isTrue();
            poller.wakeup(); // before or during the select: either way it returns
            assertThat(selected.get(10, TimeUnit.SECONDS)).isZero();
            // the wake-up was consumed: a select now finds nothing
            assertThat(poller.select(0, k -> { })).isZero();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void aWakeupAfterThePollerClosedWritesToNoOtherDescriptor(IoBackend backend) throws Exception {
        try (Pair p = new Pair(backend, InetAddress.getLoopbackAddress(), 0)) {
            Poller closed = backend.openPoller();
            closed.close();
            // the next accepted socket is likely to get one of the closed poller's descriptor numbers
            try (Socket client = new Socket(p.listener.localAddress().getAddress(), p.listener.localAddress().getPort())) {
                Endpoint server = acceptOne(p.poller, p.listener);
                PollKey key = p.poller.register(server, 0, "second"); // an endpoint is used once registered
                try {
                    closed.wakeup(); // a late task for a stopped loop
                    assertThat(server.write(ByteBuffer.wrap("x".getBytes()))).isEqualTo(1);
                    assertThat(client.getInputStream().read()).as("the first byte the client gets").isEqualTo('x');
                } finally {
                    key.cancel();
                    server.close();
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void listensAndAcceptsOnIpv6Loopback(IoBackend backend) throws Exception {
        InetAddress v6 = InetAddress.getByName("::1");
        boolean hasV6;
        try (Socket probe = new Socket()) {
            probe.bind(new InetSocketAddress(v6, 0));
            hasV6 = true;
        } catch (IOException e) {
            hasV6 = false;
        }
        assumeTrue(hasV6, "no IPv6 loopback on this machine");
        try (Pair p = new Pair(backend, v6, 0)) {
            InetSocketAddress local = p.listener.localAddress();
            assertThat(local.getAddress()).isInstanceOf(Inet6Address.class).isEqualTo(v6);
            assertThat(local.getPort()).isPositive();
            assertThat(p.server.remoteAddress().getAddress()).isEqualTo(v6);
            assertThat(p.server.remoteAddress().getPort()).isEqualTo(p.client.getLocalPort());
            assertThat(p.server.localAddress()).isEqualTo(local);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void theWildcardAndPortZeroAreReportedAsNioReportsThem(IoBackend backend) throws Exception {
        for (String address : List.of("0.0.0.0", "::", "127.0.0.1")) {
            try (ListenSocket nio = NioBackend.INSTANCE.listen(new InetSocketAddress(address, 0), 8);
                    ListenSocket l = backend.listen(new InetSocketAddress(address, 0), 8)) {
                assertThat(l.localAddress().getPort()).isPositive();
                assertThat(l.localAddress().getAddress()).as(address).isEqualTo(nio.localAddress().getAddress());
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void aPortInUseIsABindException(IoBackend backend) throws Exception {
        try (ListenSocket first = backend.listen(new InetSocketAddress("127.0.0.1", 0), 8)) {
            assertThatThrownBy(() -> backend.listen(first.localAddress(), 8).close())
                    .isInstanceOf(java.net.BindException.class).hasMessageContaining("in use");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void acceptsEveryWaitingConnectionThenAnswersNull(IoBackend backend) throws Exception {
        int n = 50;
        try (Poller poller = backend.openPoller(); ListenSocket listener = backend.listen(new InetSocketAddress("127.0.0.1", 0), n)) {
            List<Socket> clients = new ArrayList<>();
            List<Endpoint> accepted = new ArrayList<>();
            try {
                for (int i = 0; i < n; i++) {
                    clients.add(new Socket(listener.localAddress().getAddress(), listener.localAddress().getPort()));
                }
                while (accepted.size() < n) {
                    accepted.add(acceptOne(poller, listener));
                }
                assertThat(listener.newAcceptor().accept()).as("the backlog is empty").isNull();
                assertThat(accepted).extracting(e -> e.remoteAddress().getPort())
                        .containsExactlyInAnyOrderElementsOf(clients.stream().map(Socket::getLocalPort).toList());
            } finally {
                for (Endpoint e : accepted) {
                    e.close();
                }
                for (Socket s : clients) {
                    s.close();
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void closeReleasesTheSocketOnceAndASecondCloseTouchesNothing(IoBackend backend) throws Exception {
        try (Pair first = new Pair(backend, InetAddress.getLoopbackAddress(), 0)) {
            first.key.cancel();
            first.server.close();
            assertThat(first.server.isClosed()).isTrue();
            assertThat(first.client.getInputStream().read()).as("the peer saw the close").isEqualTo(-1);
            // the next socket is likely to get the same descriptor number: a second close of the
            // first endpoint must not close it
            try (Pair second = new Pair(backend, InetAddress.getLoopbackAddress(), 0)) {
                first.server.close();
                assertThat(second.server.write(ByteBuffer.wrap("still open".getBytes()))).isEqualTo(10);
                assertThat(second.client.getInputStream().readNBytes(10)).asString().isEqualTo("still open");
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void aFileRegionGoesOutWholeAndTheEndOfTheFileIsZero(IoBackend backend) throws Exception {
        byte[] content = pattern(1 << 20, 7);
        Path file = Files.write(dir.resolve("f.bin"), content);
        try (Pair p = new Pair(backend, InetAddress.getLoopbackAddress(), 0);
                FileChannel fc = FileChannel.open(file, StandardOpenOption.READ)) {
            CompletableFuture<byte[]> received = CompletableFuture.supplyAsync(() -> {
                try {
                    return p.client.getInputStream().readNBytes(content.length - 100);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            long position = 100;
            while (position < content.length) {
                long n = p.server.transferFrom(fc, position, content.length - position);
                if (n == 0) {
                    p.await(Poller.WRITE);
                }
                position += n;
            }
            assertThat(received.get(30, TimeUnit.SECONDS)).isEqualTo(java.util.Arrays.copyOfRange(content, 100, content.length));
            assertThat(p.server.transferFrom(fc, content.length, 10)).as("past the end").isZero();
        }
    }

    @org.junit.jupiter.api.Test
    void epollReadsAndWritesDirectBuffersWithoutAllocating() throws Exception {
        assumeTrue(EpollBackend.unavailableReason() == null, "epoll does not run here");
        // com.sun.management's counter, by reflection: the tests are patched into a module that does not read jdk.management
        Object threads = java.lang.management.ManagementFactory.getThreadMXBean();
        java.lang.reflect.Method allocatedBytes = Class.forName("com.sun.management.ThreadMXBean").getMethod("getCurrentThreadAllocatedBytes");
        try (Pair p = new Pair(EpollBackend.get(), InetAddress.getLoopbackAddress(), 0)) {
            ByteBuffer out = ByteBuffer.allocateDirect(64);
            ByteBuffer in = ByteBuffer.allocateDirect(8192);
            ByteBuffer[] gather = {ByteBuffer.allocateDirect(32), ByteBuffer.allocateDirect(16)};
            java.io.OutputStream peer = p.client.getOutputStream();
            InputStream fromServer = p.client.getInputStream();
            byte[] fromPeer = new byte[8000];
            long allocated = 0;
            int calls = 0;
            for (int round = 0; round < 20; round++) { // the early rounds warm up (class loading, linking, JIT)
                allocated = 0;
                calls = 0;
                long before = (long) allocatedBytes.invoke(threads);
                for (int i = 0; i < 200; i++) {
                    out.clear();
                    p.server.write(out); // from a direct buffer
                    gather[0].clear();
                    gather[1].clear();
                    p.server.write(gather, 0, 2); // gathering, two direct pieces
                    calls += 2;
                }
                allocated += (long) allocatedBytes.invoke(threads) - before;
                fromServer.readNBytes(200 * (64 + 48));
                peer.write(fromPeer);
                in.clear();
                before = (long) allocatedBytes.invoke(threads);
                while (in.position() < fromPeer.length) {
                    p.server.read(in); // 0 while the bytes travel
                    calls++;
                }
                allocated += (long) allocatedBytes.invoke(threads) - before;
            }
            assertThat(allocated / 2000).as("bytes allocated per round of three endpoint calls").isLessThan(64);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void aCancelledKeyIsNoLongerCountedOrReported(IoBackend backend) throws Exception {
        try (Pair p = new Pair(backend, InetAddress.getLoopbackAddress(), 0)) {
            assertThat(p.poller.registeredCount()).isEqualTo(1);
            p.client.getOutputStream().write(1);
            p.key.interestOps(Poller.READ);
            p.key.cancel();
            assertThat(p.key.isValid()).isFalse();
            int[] reported = new int[1];
            p.poller.select(0, k -> reported[0]++);
            p.poller.select(0, k -> reported[0]++); // NIO forgets a cancelled key at the next select
            assertThat(reported[0]).isZero();
            assertThat(p.poller.registeredCount()).isZero();
        }
    }
}
