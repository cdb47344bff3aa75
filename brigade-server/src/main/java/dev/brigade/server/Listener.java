package dev.brigade.server;

import dev.brigade.conn.Connection;
import dev.brigade.conn.LoopContext;
import dev.brigade.loop.IoHandler;
import java.io.IOException;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

/**
 * Accepts connections on one loop. Every loop registers the same listening socket, so whichever
 * loop is free first takes a new connection, which then belongs to that loop for life.
 */
final class Listener implements IoHandler {

    private static final System.Logger LOG = System.getLogger(Listener.class.getName());
    private static final int ACCEPTS_PER_EVENT = 64;

    private final ServerSocketChannel serverChannel;
    private final LoopContext lc;
    private SelectionKey key;

    Listener(ServerSocketChannel serverChannel, LoopContext lc) {
        this.serverChannel = serverChannel;
        this.lc = lc;
    }

    void register() throws IOException {
        key = lc.loop().register(serverChannel, SelectionKey.OP_ACCEPT, this);
    }

    /** Stops accepting on this loop (graceful stop); loop thread only. */
    void stop() {
        if (key != null) {
            key.cancel();
        }
    }

    @Override
    public void onReady(int readyOps) {
        for (int i = 0; i < ACCEPTS_PER_EVENT; i++) {
            SocketChannel ch;
            try {
                ch = serverChannel.accept();
            } catch (IOException e) {
                // EMFILE and friends: log and try again on the next event rather than spin here
                LOG.log(System.Logger.Level.WARNING, "accept failed: " + e.getMessage());
                return;
            }
            if (ch == null) {
                return;
            }
            try {
                new Connection(lc, ch).open();
            } catch (IOException e) {
                LOG.log(System.Logger.Level.DEBUG, () -> "connection lost before it was set up: " + e.getMessage());
                closeQuietly(ch);
            }
        }
    }

    @Override
    public void onFailure(Throwable failure) {
        LOG.log(System.Logger.Level.ERROR, "listener failed on loop " + lc.loop().index(), failure);
    }

    private static void closeQuietly(SocketChannel ch) {
        try {
            ch.close();
        } catch (IOException ignored) {
            // nothing more to do for a connection that is already gone
        }
    }
}
