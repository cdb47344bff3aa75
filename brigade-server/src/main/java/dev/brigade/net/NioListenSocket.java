package dev.brigade.net;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.channels.SelectableChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

/** A listening socket of the NIO transport: a non-blocking {@link ServerSocketChannel}. */
final class NioListenSocket implements ListenSocket, NioPollable {

    private final ServerSocketChannel channel;
    private final InetSocketAddress local;

    NioListenSocket(ServerSocketChannel channel) throws IOException {
        this.channel = channel;
        this.local = (InetSocketAddress) channel.getLocalAddress();
    }

    @Override
    public SelectableChannel channel() {
        return channel;
    }

    @Override
    public InetSocketAddress localAddress() {
        return local;
    }

    @Override
    public Acceptor newAcceptor() {
        return () -> {
            SocketChannel ch = channel.accept();
            if (ch == null) {
                return null;
            }
            try {
                return new NioEndpoint(ch);
            } catch (IOException | UncheckedIOException e) {
                ch.close();
                throw e;
            }
        };
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
