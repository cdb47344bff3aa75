package dev.brigade.filter;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;

/** The lowest input filter: the one place where request bytes are read from a socket. */
public final class NetworkInput extends InputFilter {

    private final ReadableByteChannel channel;
    private long bytesRead;

    public NetworkInput(ReadableByteChannel channel) {
        super("network");
        this.channel = channel;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        if (!dst.hasRemaining()) {
            return 0;
        }
        int n = channel.read(dst);
        if (n > 0) {
            bytesRead += n;
        }
        return n;
    }

    /** Total bytes this connection has read from its socket. */
    public long bytesRead() {
        return bytesRead;
    }
}
