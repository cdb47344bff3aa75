package dev.brigade.conn;

import dev.brigade.buffer.BufferPool;
import dev.brigade.buffer.RefBuf;
import dev.brigade.filter.InputChain;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * The read side of one connection: its input filter chain (network, then connection filters such
 * as TLS) and the read buffer the HTTP/1 framing parses, borrowed from the loop's pool while the
 * connection reads and returned when it goes idle. The buffer is kept in read mode (data between
 * position and limit) except inside {@link #fill}. Loop thread only.
 */
final class ConnectionInput {

    private final InputChain chain;
    private final BufferPool pool;
    private RefBuf buf;

    ConnectionInput(InputChain chain, BufferPool pool) {
        this.chain = chain;
        this.pool = pool;
    }

    /** The read buffer, borrowed now if the connection held none. */
    ByteBuffer buffer() {
        if (buf == null) {
            buf = pool.acquire();
            buf.buffer().flip();
        }
        return buf.buffer();
    }

    /**
     * Reads what the input chain has into the free end of the buffer, keeping unparsed bytes.
     *
     * @return bytes read, 0 if none are available now (or the buffer is full), -1 at end of stream
     */
    int fill() throws IOException {
        ByteBuffer b = buffer();
        b.compact();
        try {
            return chain.read(b);
        } finally {
            b.flip();
        }
    }

    /** Whether unparsed bytes wait in the buffer (a pipelined request, the rest of a body). */
    boolean hasUnparsed() {
        return buf != null && buf.buffer().hasRemaining();
    }

    /** Unparsed bytes in the buffer: what a new state counts as already received. */
    int unparsed() {
        return buf == null ? 0 : buf.buffer().remaining();
    }

    /** Drops what is left to parse: after a bad head, nothing that follows is a request. */
    void skipUnparsed() {
        if (buf != null) {
            buf.buffer().position(buf.buffer().limit());
        }
    }

    /** Whether a read could add anything: no buffer yet, or room at either end of it. */
    boolean hasRoom() {
        if (buf == null) {
            return true;
        }
        ByteBuffer b = buf.buffer();
        return b.position() > 0 || b.limit() < b.capacity();
    }

    /** Whether a filter holds input a read would return without the socket becoming readable. */
    boolean hasBuffered() {
        return chain.hasBuffered();
    }

    /** Reads and drops input (lingering close); -1 at end of stream. */
    int discard(ByteBuffer scratch) throws IOException {
        scratch.clear();
        return chain.network().read(scratch);
    }

    boolean holdsBuffer() {
        return buf != null;
    }

    /** Returns the buffer to the loop's pool (going idle, or closing); filters return their empty ones. */
    void release() {
        if (buf != null) {
            RefBuf b = buf;
            buf = null;
            b.release();
        }
        chain.idle();
    }

    /** The connection closes: the buffer goes back, the filters let go of what they hold. */
    void close() {
        release();
        chain.close();
    }
}
