package dev.brigade.net;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;

/** The JDK's NIO transport: {@code Selector}, {@code SocketChannel}, {@code ServerSocketChannel}. Works everywhere. */
public final class NioBackend implements IoBackend {

    public static final NioBackend INSTANCE = new NioBackend();

    private NioBackend() {
    }

    @Override
    public String name() {
        return "nio";
    }

    @Override
    public Poller openPoller() throws IOException {
        return new NioPoller();
    }

    @Override
    public ListenSocket listen(InetSocketAddress address, int backlog) throws IOException {
        ServerSocketChannel ch = ServerSocketChannel.open();
        try {
            ch.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            ch.bind(address, backlog);
            ch.configureBlocking(false);
            return new NioListenSocket(ch);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    @Override
    public String toString() {
        return name();
    }
}
