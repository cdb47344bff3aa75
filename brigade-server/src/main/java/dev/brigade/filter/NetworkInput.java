package dev.brigade.filter;

import java.io.IOException;
import java.nio.ByteBuffer;
import dev.brigade.net.SocketInput;
import java.nio.channels.ReadableByteChannel;

/** The lowest input filter: the one place where request bytes are read from a socket. */
public final class NetworkInput extends InputFilter {

    private final SocketInput channel;

    public NetworkInput(SocketInput channel) {
        super("network");
        this.channel = channel;
    }

    public NetworkInput(ReadableByteChannel channel) {
        this(SocketInput.of(channel));
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        if (!dst.hasRemaining()) {
            return 0;
        }
        return channel.read(dst);
    }
}
