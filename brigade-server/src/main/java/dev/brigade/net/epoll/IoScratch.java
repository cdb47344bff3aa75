package dev.brigade.net.epoll;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

/**
 * The native memory one loop's socket calls work in, allocated once with its poller and reused by
 * every call on that loop's thread: the captured {@code errno}, the iovec array of a gathering
 * write, the offset {@code sendfile} advances, and a buffer for heap bytes a gathering write must
 * copy (iovecs can only point at native memory) and for the file fallback.
 *
 * <p>An automatic arena: the memory lives as long as anything can reach it, so a late call can
 * never touch freed memory.
 */
final class IoScratch {

    /** As many pieces as one gathering write takes (the network filter offers at most 64). */
    static final int IOV_MAX = 64;
    static final int COPY_BYTES = 64 * 1024;

    final MemorySegment errno;
    final MemorySegment iov;
    final MemorySegment offset;
    final MemorySegment copy;
    final ByteBuffer copyBuffer;

    IoScratch() {
        Arena arena = Arena.ofAuto();
        errno = arena.allocate(LibC.CAPTURE_LAYOUT);
        iov = arena.allocate(LibC.IOVEC_BYTES * IOV_MAX, 8);
        offset = arena.allocate(8, 8);
        copy = arena.allocate(COPY_BYTES, 64);
        copyBuffer = copy.asByteBuffer();
    }
}
