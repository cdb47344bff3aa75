package dev.brigade.net;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.GatheringByteChannel;

/**
 * The write side of a socket, as the network filter sees it: non-blocking writes that take what
 * the socket's send buffer has room for (0 when it is full) and advance the buffers' positions.
 * A peer that reset the connection is an {@link IOException}.
 */
public interface SocketOutput {

    int write(ByteBuffer src) throws IOException;

    /**
     * Like {@link #write(ByteBuffer)}, for bytes that a file region follows at once (a response head
     * before its file): a transport that can hold them back until the file's bytes join them does
     * (Linux {@code MSG_MORE}), so the head does not leave as a segment of its own, as nginx's
     * {@code tcp_nopush}. The file's write that follows sends what was held.
     */
    default int writeBeforeFile(ByteBuffer src) throws IOException {
        return write(src);
    }

    /** A gathering write of {@code srcs[offset .. offset+length)}. */
    long write(ByteBuffer[] srcs, int offset, int length) throws IOException;

    /**
     * Writes up to {@code count} bytes of {@code file} from {@code position} (zero-copy where the
     * backend can): the bytes written, 0 when the socket is full or the file ends before
     * {@code position}, as {@link FileChannel#transferTo} answers.
     */
    long transferFrom(FileChannel file, long position, long count) throws IOException;

    /** The write side of any gathering channel (NIO sockets, test doubles); files go by {@code transferTo}. */
    static SocketOutput of(GatheringByteChannel channel) {
        return new SocketOutput() {
            @Override
            public int write(ByteBuffer src) throws IOException {
                return channel.write(src);
            }

            @Override
            public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
                return channel.write(srcs, offset, length);
            }

            @Override
            public long transferFrom(FileChannel file, long position, long count) throws IOException {
                return file.transferTo(position, count, channel);
            }
        };
    }
}
