package dev.brigade.filter;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;

/** The lowest input filter: the one place where request bytes are read from a socket. */
public final class NetworkInput extends InputFilter {

    private final ReadableByteChannel channel;

    public NetworkInput(ReadableByteChannel channel) {
        super("network");
        this.channel = channel;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        if (!dst.hasRemaining()) {
            return 0;
        }
        return channel.read(dst);
    }
}
