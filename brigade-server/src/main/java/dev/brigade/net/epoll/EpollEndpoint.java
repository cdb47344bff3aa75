package dev.brigade.net.epoll;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.brigade.net.Endpoint;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * A connected socket of the epoll transport: a file descriptor from {@code accept4}, non-blocking.
 *
 * <p>Calls answer as NIO's {@code SocketChannel} does: EAGAIN is 0 bytes, the peer's end of stream
 * is -1, EINTR is retried, anything else (ECONNRESET, EPIPE) is an {@link IOException} with the C
 * library's message. Reads and single writes go straight from and to the caller's buffer, heap or
 * direct ({@link LibC}'s critical calls). A gathering write points its iovecs at direct buffers in
 * place and copies heap pieces into the loop's scratch first (an iovec can only hold a native
 * address). Files go out with {@code sendfile} when the file channel's descriptor can be had
 * ({@link FileDescriptors}), else through the scratch buffer.
 *
 * <p>The memory the calls use is the registering loop's ({@link IoScratch}, bound by
 * {@link EpollPoller#register}); so the endpoint is used on that loop's thread only, after it was
 * registered. The descriptor is closed in {@link #close()}, once.
 */
final class EpollEndpoint implements Endpoint {

    private static final long SENDFILE_MAX = 0x7ffff000L; // what Linux moves in one call at most

    private final int fd;
    private final SockAddr.Peer remote;
    private IoScratch io;
    private boolean noDelay = true; // the acceptor hands over sockets with TCP_NODELAY on
    private boolean closed;

    /** A socket from {@code accept4} with TCP_NODELAY already on (the acceptor sees to it). */
    EpollEndpoint(int fd, SockAddr.Peer remote) {
        this.fd = fd;
        this.remote = remote;
    }

    int fd() {
        return fd;
    }

    /** The loop whose poller registered this socket lends it its scratch memory. */
    void bind(IoScratch scratch) {
        this.io = scratch;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        int position = dst.position();
        int room = dst.limit() - position;
        if (room == 0) {
            return 0;
        }
        MemorySegment errno = io.errno;
        boolean direct = dst.isDirect();
        long address = direct ? io.readAddress(dst) : 0;
        MemorySegment into = direct ? null : MemorySegment.ofBuffer(dst); // a heap buffer, in place (critical call)
        while (true) {
            long n = direct ? LibC.readAt(errno, fd, address, room) : LibC.read(errno, fd, into, room);
            if (n > 0) {
                dst.position(position + (int) n);
                return (int) n;
            }
            if (n == 0) {
                return -1;
            }
            if (!LibC.interrupted(errno)) {
                return 0; // EAGAIN: the socket has no room, or nothing to read
            }
        }
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        return send(src, LibC.MSG_NOSIGNAL);
    }

    @Override
    public int writeBeforeFile(ByteBuffer src) throws IOException {
        return send(src, LibC.MSG_NOSIGNAL | LibC.MSG_MORE); // held until sendfile's bytes join it
    }

    private int send(ByteBuffer src, int flags) throws IOException {
        int position = src.position();
        int length = src.limit() - position;
        if (length == 0) {
            return 0;
        }
        MemorySegment errno = io.errno;
        boolean direct = src.isDirect();
        long address = direct ? io.writeAddress(src) : 0;
        MemorySegment from = direct ? null : MemorySegment.ofBuffer(src); // a heap buffer, in place (critical call)
        while (true) {
            long n = direct // MSG_NOSIGNAL: EPIPE, not SIGPIPE
                    ? LibC.sendAt(errno, fd, address, length, flags)
                    : LibC.send(errno, fd, from, length, flags);
            if (n >= 0) {
                src.position(position + (int) n);
                return (int) n;
            }
            if (!LibC.interrupted(errno)) {
                return 0; // EAGAIN: the socket has no room, or nothing to read
            }
        }
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        MemorySegment iov = io.iov;
        int count = 0;
        long offered = 0;
        long copied = 0;
        for (int i = offset; i < offset + length && count < IoScratch.IOV_MAX; i++) {
            ByteBuffer b = srcs[i];
            long n = b.remaining();
            if (n == 0) {
                continue;
            }
            long address;
            if (b.isDirect()) {
                address = io.writeAddress(b);
            } else {
                long room = IoScratch.COPY_BYTES - copied;
                if (room == 0) {
                    break;
                }
                n = Math.min(n, room);
                MemorySegment.copy(MemorySegment.ofBuffer(b), 0, io.copy, copied, n);
                address = io.copy.address() + copied;
                copied += n;
            }
            iov.set(JAVA_LONG, count * LibC.IOVEC_BYTES, address);
            iov.set(JAVA_LONG, count * LibC.IOVEC_BYTES + 8, n);
            count++;
            offered += n;
            if (n < b.remaining()) {
                break; // the copy space ran out inside this piece: nothing after it may go before it
            }
        }
        if (count == 0) {
            return 0;
        }
        MemorySegment errno = io.errno;
        long written;
        while (true) {
            written = LibC.writev(errno, fd, iov, count);
            if (written >= 0) {
                break;
            }
            if (!LibC.interrupted(errno)) {
                return 0; // EAGAIN: the socket has no room, or nothing to read
            }
        }
        assert written <= offered;
        long left = written;
        for (int i = offset; left > 0; i++) { // the pieces advance in order by what the socket took
            ByteBuffer b = srcs[i];
            int n = (int) Math.min(left, b.remaining());
            b.position(b.position() + n);
            left -= n;
        }
        return written;
    }

    @Override
    public long transferFrom(FileChannel file, long position, long count) throws IOException {
        int in = FileDescriptors.of(file);
        if (in < 0) {
            return copyFrom(file, position, count);
        }
        MemorySegment errno = io.errno;
        MemorySegment offset = io.offset;
        while (true) {
            offset.set(JAVA_LONG, 0, position);
            long n = LibC.sendfile(errno, fd, in, offset, Math.min(count, SENDFILE_MAX));
            if (n >= 0) {
                return n; // 0: the file ends before position, as transferTo answers
            }
            if (!LibC.interrupted(errno)) {
                return 0; // EAGAIN: the socket has no room, or nothing to read
            }
        }
    }

    /**
     * Without the file's descriptor: up to 64 KiB of the file read into the loop's scratch, then
     * written. What the socket did not take is read again next time (from the page cache).
     */
    private long copyFrom(FileChannel file, long position, long count) throws IOException {
        ByteBuffer buffer = io.copyBuffer.clear();
        buffer.limit((int) Math.min(count, buffer.capacity()));
        int read = file.read(buffer, position);
        if (read <= 0) {
            return 0; // at or past the end: the caller tells a shrunk file from a full socket
        }
        buffer.flip();
        return write(buffer);
    }

    @Override
    public void tcpNoDelay(boolean on) throws IOException {
        if (on && noDelay) {
            return;
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment errno = arena.allocate(LibC.CAPTURE_LAYOUT);
            MemorySegment value = arena.allocate(JAVA_INT);
            value.set(JAVA_INT, 0, on ? 1 : 0);
            if (LibC.setsockopt(errno, fd, LibC.IPPROTO_TCP, LibC.TCP_NODELAY, value, 4) < 0) {
                throw LibC.exception(errno);
            }
        }
        noDelay = on;
    }

    @Override
    public void shutdownOutput() throws IOException {
        if (LibC.shutdown(io.errno, fd, LibC.SHUT_WR) < 0) {
            throw LibC.exception(io.errno);
        }
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return remote.address();
    }

    @Override
    public InetSocketAddress localAddress() throws IOException {
        return EpollListenSocket.localAddressOf(fd);
    }

    /** Closes the descriptor, once. Its poll key must be cancelled first (the number may be reused at once). */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        if (io != null) { // registered: closed on its loop's thread, with the loop's memory
            closeWith(io.errno);
            return;
        }
        try (Arena arena = Arena.ofConfined()) { // a socket that never reached its loop closes here
            closeWith(arena.allocate(LibC.CAPTURE_LAYOUT));
        }
    }

    private void closeWith(MemorySegment errno) throws IOException {
        if (LibC.close(errno, fd) < 0 && LibC.errno(errno) != LibC.EINTR) { // after EINTR the descriptor is gone on Linux
            throw LibC.exception(errno);
        }
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    @Override
    public String toString() {
        return "epoll socket " + fd + " from " + remote.address();
    }
}
