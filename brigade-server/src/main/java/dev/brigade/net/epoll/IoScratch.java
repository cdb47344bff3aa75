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

    /*
     * The last direct buffer read into and written from, with the address of its index 0: a loop
     * reads into the same pooled buffers and writes from the same coalescing buffer again and
     * again, so the address is found without allocating (MemorySegment.ofBuffer makes an object)
     * except when the buffer changes. Holding the last one keeps nothing alive that its owner frees.
     */
    private ByteBuffer lastRead;
    private long lastReadAddress;
    private ByteBuffer lastWrite;
    private long lastWriteAddress;

    /** The native address of byte {@code position()} of a direct buffer that is read into. */
    long readAddress(ByteBuffer direct) {
        if (direct != lastRead) {
            lastReadAddress = MemorySegment.ofBuffer(direct).address() - direct.position();
            lastRead = direct;
        }
        return lastReadAddress + direct.position();
    }

    /** The native address of byte {@code position()} of a direct buffer that is written from. */
    long writeAddress(ByteBuffer direct) {
        if (direct != lastWrite) {
            lastWriteAddress = MemorySegment.ofBuffer(direct).address() - direct.position();
            lastWrite = direct;
        }
        return lastWriteAddress + direct.position();
    }

    IoScratch() {
        Arena arena = Arena.ofAuto();
        errno = arena.allocate(LibC.CAPTURE_LAYOUT);
        iov = arena.allocate(LibC.IOVEC_BYTES * IOV_MAX, 8);
        offset = arena.allocate(8, 8);
        copy = arena.allocate(COPY_BYTES, 64);
        copyBuffer = copy.asByteBuffer();
    }
}
