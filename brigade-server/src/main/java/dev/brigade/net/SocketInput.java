package dev.brigade.net;

import java.io.IOException;
import java.nio.ByteBuffer;

/** The read side of a socket, as the lowest input filter sees it. */
public interface SocketInput {

    /**
     * Reads into {@code dst} from its position: the bytes read, 0 when none are available now
     * (EAGAIN), -1 at the peer's end of stream. A reset connection is an {@link IOException}.
     */
    int read(ByteBuffer dst) throws IOException;

    /** The read side of any readable channel (NIO sockets, test doubles). */
    static SocketInput of(java.nio.channels.ReadableByteChannel channel) {
        return channel::read;
    }
}
