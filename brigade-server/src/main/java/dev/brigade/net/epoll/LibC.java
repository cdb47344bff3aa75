package dev.brigade.net.epoll;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.io.IOException;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.net.BindException;

/**
 * The C library functions the epoll transport calls, bound once through the native linker, and the
 * Linux constants they take (the same on x86_64 and aarch64). Each call that can fail captures
 * {@code errno} into a segment the caller owns (one per loop, reused: nothing is allocated per call).
 *
 * <p>{@code read} and {@code send} are <em>critical</em> calls that may take heap memory: a heap
 * buffer is read into or written from in place, without a copy. They never block (the sockets are
 * non-blocking), which is what a critical call requires. {@code epoll_wait} and {@code sendfile}
 * (which may wait for the disk) are ordinary calls.
 *
 * <p>Loading this class binds every function: it fails when a symbol is missing or native access is
 * denied, and {@link EpollBackend} then reports epoll as unavailable.
 */
final class LibC {

    private LibC() {
    }

    // errno values (asm-generic, shared by x86_64 and aarch64)
    static final int EINTR = 4;
    static final int EAGAIN = 11;
    static final int ENOENT = 2;
    static final int EBADF = 9;
    static final int EACCES = 13;
    static final int EEXIST = 17;
    static final int EADDRINUSE = 98;
    static final int EADDRNOTAVAIL = 99;
    static final int ECONNABORTED = 103;
    static final int ECONNRESET = 104;
    static final int EPIPE = 32;

    static final int AF_INET = 2;
    static final int AF_INET6 = 10;
    static final int SOCK_STREAM = 1;
    static final int SOCK_NONBLOCK = 0x800;
    static final int SOCK_CLOEXEC = 0x80000;
    static final int SOL_SOCKET = 1;
    static final int SO_REUSEADDR = 2;
    static final int IPPROTO_TCP = 6;
    static final int TCP_NODELAY = 1;
    static final int IPPROTO_IPV6 = 41;
    static final int IPV6_V6ONLY = 26;
    static final int SHUT_WR = 1;
    static final int MSG_NOSIGNAL = 0x4000;
    static final int MSG_MORE = 0x8000;

    static final int EPOLL_CLOEXEC = 0x80000;
    static final int EPOLL_CTL_ADD = 1;
    static final int EPOLL_CTL_DEL = 2;
    static final int EPOLL_CTL_MOD = 3;
    static final int EPOLLIN = 0x001;
    static final int EPOLLOUT = 0x004;
    static final int EPOLLERR = 0x008;
    static final int EPOLLHUP = 0x010;
    static final int EFD_NONBLOCK = 0x800;
    static final int EFD_CLOEXEC = 0x80000;

    /** {@code struct epoll_event}: packed on x86_64 (12 bytes), naturally aligned elsewhere (16). */
    static final boolean X86_64 = switch (System.getProperty("os.arch")) {
        case "amd64", "x86_64" -> true;
        default -> false;
    };
    static final long EPOLL_EVENT_BYTES = X86_64 ? 12 : 16;
    static final long EPOLL_DATA_OFFSET = X86_64 ? 4 : 8;

    /** {@code struct iovec}: a pointer and a length. */
    static final long IOVEC_BYTES = 16;

    static final StructLayout CAPTURE_LAYOUT = Linker.Option.captureStateLayout();
    private static final long ERRNO_OFFSET = CAPTURE_LAYOUT.byteOffset(MemoryLayout.PathElement.groupElement("errno"));

    private static final Linker LINKER = Linker.nativeLinker();
    private static final Linker.Option ERRNO = Linker.Option.captureCallState("errno");
    private static final Linker.Option CRITICAL_HEAP = Linker.Option.critical(true);

    private static final MethodHandle EPOLL_CREATE1 = bind("epoll_create1", FunctionDescriptor.of(JAVA_INT, JAVA_INT), ERRNO);
    private static final MethodHandle EPOLL_CTL = bind("epoll_ctl", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS), ERRNO);
    private static final MethodHandle EPOLL_WAIT = bind("epoll_wait", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT), ERRNO);
    private static final MethodHandle EVENTFD = bind("eventfd", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT), ERRNO);
    private static final MethodHandle SOCKET = bind("socket", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT), ERRNO);
    private static final MethodHandle SETSOCKOPT = bind("setsockopt", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT), ERRNO);
    private static final MethodHandle GETSOCKOPT = bind("getsockopt", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS), ERRNO);
    private static final MethodHandle BIND = bind("bind", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT), ERRNO);
    private static final MethodHandle LISTEN = bind("listen", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT), ERRNO);
    private static final MethodHandle ACCEPT4 = bind("accept4", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT), ERRNO);
    private static final MethodHandle READ = bind("read", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG), ERRNO, CRITICAL_HEAP);
    private static final MethodHandle SEND = bind("send", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT), ERRNO, CRITICAL_HEAP);
    /**
     * {@code read} and {@code send} again, with the buffer as a raw address ({@code long}): a direct
     * buffer's address is known without wrapping the buffer in a segment object per call
     * ({@link IoScratch#addressOf}). A pointer and a long travel alike on x86_64 and aarch64.
     */
    private static final MethodHandle READ_AT = bind("read", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG), ERRNO);
    private static final MethodHandle SEND_AT = bind("send", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_INT), ERRNO);
    private static final MethodHandle WRITEV = bind("writev", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT), ERRNO);
    private static final MethodHandle SENDFILE = bind("sendfile", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_INT, ADDRESS, JAVA_LONG), ERRNO);
    private static final MethodHandle SHUTDOWN = bind("shutdown", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT), ERRNO);
    private static final MethodHandle CLOSE = bind("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT), ERRNO);
    private static final MethodHandle GETSOCKNAME = bind("getsockname", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS), ERRNO);
    /** A write without errno, for the wake-up eventfd from any thread: it cannot fail in a way we could act on. */
    private static final MethodHandle WRITE_PLAIN = bind("write", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    private static final MethodHandle STRERROR = bind("strerror", FunctionDescriptor.of(ADDRESS, JAVA_INT));

    private static MethodHandle bind(String name, FunctionDescriptor fd, Linker.Option... options) {
        MemorySegment symbol = LINKER.defaultLookup().find(name)
                .orElseThrow(() -> new UnsatisfiedLinkError("no " + name + " in the C library"));
        return LINKER.downcallHandle(symbol, fd, options);
    }

    /** The {@code errno} the last call captured into {@code capture}. */
    /**
     * After a call failed (-1): true if a signal interrupted it (EINTR: call again), false if it would
     * have blocked (EAGAIN); any other errno is thrown as the IOException NIO would throw.
     */
    static boolean interrupted(MemorySegment errno) throws IOException {
        int e = errno(errno);
        if (e == EINTR) {
            return true;
        }
        if (e == EAGAIN) {
            return false;
        }
        throw exception(e);
    }

    static int errno(MemorySegment capture) {
        return capture.get(JAVA_INT, ERRNO_OFFSET);
    }

    /** The C library's text for an errno ("Connection reset by peer"), as NIO's messages read. */
    static String strerror(int errno) {
        try {
            MemorySegment s = (MemorySegment) STRERROR.invokeExact(errno);
            return s.reinterpret(256).getString(0);
        } catch (Throwable t) {
            return "errno " + errno;
        }
    }

    /** The exception NIO would throw for this errno: a {@link BindException} for addresses, else an {@link IOException}. */
    static IOException exception(int errno) {
        String message = strerror(errno);
        return switch (errno) {
            case EADDRINUSE, EADDRNOTAVAIL, EACCES -> new BindException(message);
            default -> new IOException(message);
        };
    }

    static IOException exception(MemorySegment capture) {
        return exception(errno(capture));
    }

    // ---- the calls: invokeExact needs exact types; a Throwable from the linker itself is a bug ----

    static int epollCreate1(MemorySegment c, int flags) {
        try {
            return (int) EPOLL_CREATE1.invokeExact(c, flags);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    static int epollCtl(MemorySegment c, int epfd, int op, int fd, MemorySegment event) {
        try {
            return (int) EPOLL_CTL.invokeExact(c, epfd, op, fd, event);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    static int epollWait(MemorySegment c, int epfd, MemorySegment events, int max, int timeoutMillis) {
        try {
            return (int) EPOLL_WAIT.invokeExact(c, epfd, events, max, timeoutMillis);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    static int eventfd(MemorySegment c, int initial, int flags) {
        try {
            return (int) EVENTFD.invokeExact(c, initial, flags);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    static int socket(MemorySegment c, int domain, int type, int protocol) {
        try {
            return (int) SOCKET.invokeExact(c, domain, type, protocol);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    static int setsockopt(MemorySegment c, int fd, int level, int name, MemorySegment value, int length) {
        try {
            return (int) SETSOCKOPT.invokeExact(c, fd, level, name, value, length);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    static int getsockopt(MemorySegment c, int fd, int level, int name, MemorySegment value, MemorySegment length) {
        try {
            return (int) GETSOCKOPT.invokeExact(c, fd, level, name, value, length);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    static int bind(MemorySegment c, int fd, MemorySegment address, int length) {
        try {
            return (int) BIND.invokeExact(c, fd, address, length);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    static int listen(MemorySegment c, int fd, int backlog) {
        try {
            return (int) LISTEN.invokeExact(c, fd, backlog);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    static int accept4(MemorySegment c, int fd, MemorySegment address, MemorySegment length, int flags) {
        try {
            return (int) ACCEPT4.invokeExact(c, fd, address, length, flags);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    static long read(MemorySegment c, int fd, MemorySegment buffer, long count) {
        try {
            return (long) READ.invokeExact(c, fd, buffer, count);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    static long send(MemorySegment c, int fd, MemorySegment buffer, long count, int flags) {
        try {
            return (long) SEND.invokeExact(c, fd, buffer, count, flags);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    static long readAt(MemorySegment c, int fd, long address, long count) {
        try {
            return (long) READ_AT.invokeExact(c, fd, address, count);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    static long sendAt(MemorySegment c, int fd, long address, long count, int flags) {
        try {
            return (long) SEND_AT.invokeExact(c, fd, address, count, flags);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    static long writev(MemorySegment c, int fd, MemorySegment iov, int count) {
        try {
            return (long) WRITEV.invokeExact(c, fd, iov, count);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    static long sendfile(MemorySegment c, int outFd, int inFd, MemorySegment offset, long count) {
        try {
            return (long) SENDFILE.invokeExact(c, outFd, inFd, offset, count);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    static int shutdown(MemorySegment c, int fd, int how) {
        try {
            return (int) SHUTDOWN.invokeExact(c, fd, how);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    static int close(MemorySegment c, int fd) {
        try {
            return (int) CLOSE.invokeExact(c, fd);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    static int getsockname(MemorySegment c, int fd, MemorySegment address, MemorySegment length) {
        try {
            return (int) GETSOCKNAME.invokeExact(c, fd, address, length);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    static long writePlain(int fd, MemorySegment buffer, long count) {
        try {
            return (long) WRITE_PLAIN.invokeExact(fd, buffer, count);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }
}
