package dev.brigade.server;

import dev.brigade.conn.ConnState;
import dev.brigade.conn.Connection;
import dev.brigade.conn.ServerContext;
import dev.brigade.dispatch.Bridge;
import dev.brigade.conn.LoopContext;
import dev.brigade.loop.IoHandler;
import dev.brigade.tls.TlsContext;
import dev.brigade.net.Endpoint;
import dev.brigade.net.ListenSocket;
import dev.brigade.net.PollKey;
import dev.brigade.net.Poller;
import java.io.IOException;

/**
 * Accepts connections of one port (plain or TLS) on one loop. Every loop registers the same listening socket, so whichever
 * loop is free first accepts; the connections are dealt to the loops in turn, and each belongs to
 * its loop for life.
 */
final class Listener implements IoHandler {

    private static final System.Logger LOG = System.getLogger(Listener.class.getName());
    private static final int ACCEPTS_PER_EVENT = 64;

    /** While accepting is paused, how often the limit is checked again. */
    private static final java.time.Duration PAUSE_RECHECK = java.time.Duration.ofMillis(10);

    private final ListenSocket serverChannel;
    private final ListenSocket.Acceptor acceptor; // this loop's: it holds the loop's scratch for accept
    private final LoopContext lc;
    private final ServerContext server;
    private PollKey key;
    private boolean paused;
    private long pauses;

    private final Spread spread;
    private final TlsContext tls; // null: a plain HTTP port

    Listener(ListenSocket serverChannel, LoopContext lc, ServerContext server, Spread spread, TlsContext tls) {
        this.serverChannel = serverChannel;
        this.acceptor = serverChannel.newAcceptor();
        this.lc = lc;
        this.server = server;
        this.spread = spread;
        this.tls = tls;
    }

    int loopIndex() {
        return lc.loop().index();
    }

    void register() throws IOException {
        key = lc.loop().register(serverChannel, Poller.ACCEPT, this);
    }

    /** Stops accepting on this loop (graceful stop); loop thread only. */
    void stop() {
        if (key != null) {
            key.cancel();
        }
    }

    /**
     * httpd's AsyncRequestWorkerFactor rule: with no idle worker left and more open connections than
     * {@code threads + idle × 2}, new connections wait in the kernel's backlog instead of piling up
     * here. Bridges without a fixed pool (inline, virtual threads) never pause accepting.
     */
    private boolean overLimit() {
        Bridge bridge = server.bridge();
        int idle = bridge.idleWorkers();
        if (idle == Integer.MAX_VALUE) {
            return false;
        }
        return idle == 0 && server.connectionsOpen() > bridge.stats().threads() + 2L * idle;
    }

    private void pause() {
        paused = true;
        pauses++;
        key.interestOps(0);
        // workers are starved: idle keep-alive connections are the cheapest to give up (httpd does the same)
        lc.loop().forEachHandler(h -> {
            if (h instanceof Connection c && c.state() == ConnState.KEEPALIVE) {
                c.close();
            }
        });
        lc.loop().schedule(PAUSE_RECHECK, this::recheck);
    }

    private void recheck() {
        if (!key.isValid()) {
            return;
        }
        if (overLimit()) {
            lc.loop().schedule(PAUSE_RECHECK, this::recheck);
        } else {
            paused = false;
            key.interestOps(Poller.ACCEPT);
        }
    }

    /** How often this loop stopped accepting because workers were saturated. */
    long pauses() {
        return pauses;
    }

    @Override
    public void onReady(int readyOps) {
        for (int i = 0; i < ACCEPTS_PER_EVENT; i++) {
            if (overLimit()) {
                if (!paused) {
                    pause();
                }
                return;
            }
            Endpoint ch;
            try {
                ch = acceptor.accept();
            } catch (IOException e) {
                // EMFILE and friends: log and try again on the next event rather than spin here
                LOG.log(System.Logger.Level.WARNING, "accept failed: " + e.getMessage());
                return;
            }
            if (ch == null) {
                return;
            }
            LoopContext owner = spread.next();
            if (owner == lc) {
                open(owner, ch);
            } else {
                owner.loop().execute(() -> open(owner, ch)); // registered by the loop that will own it
            }
        }
    }

    /** Creates the connection on its owning loop's thread (unless the server began to stop meanwhile). */
    private void open(LoopContext owner, Endpoint ch) {
        if (server.draining()) {
            closeQuietly(ch);
            return;
        }
        try {
            new Connection(owner, ch, tls == null ? null : tls.newTransport(owner.loop())).open();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, () -> "connection lost before it was set up: " + e.getMessage());
            closeQuietly(ch);
        }
    }

    /**
     * Hands accepted connections to the loops in turn. Whichever loop wakes first accepts a burst;
     * without this, one loop could end up owning most connections while another sits idle.
     */
    static final class Spread {
        private final java.util.List<LoopContext> loops;
        private final java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();

        Spread(java.util.List<LoopContext> loops) {
            this.loops = loops;
        }

        LoopContext next() {
            return loops.get(Math.floorMod(next.getAndIncrement(), loops.size()));
        }
    }

    @Override
    public void onFailure(Throwable failure) {
        LOG.log(System.Logger.Level.ERROR, "listener failed on loop " + lc.loop().index(), failure);
    }

    private static void closeQuietly(Endpoint ch) {
        try {
            ch.close();
        } catch (IOException ignored) {
            // nothing more to do for a connection that is already gone
        }
    }
}
