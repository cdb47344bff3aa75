package dev.brigade.net;

import java.io.IOException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.List;
import java.util.function.Consumer;

/** The poller over a JDK {@link Selector}: each registration's {@link PollKey} is its {@link SelectionKey}, wrapped once. */
final class NioPoller implements Poller {

    private final Selector selector;
    private final Consumer<SelectionKey> dispatch = this::dispatch; // made once: no lambda per select
    private Consumer<PollKey> action;

    NioPoller() throws IOException {
        this.selector = Selector.open();
    }

    @Override
    public PollKey register(Pollable socket, int ops, Object attachment) throws IOException {
        if (!(socket instanceof NioPollable p)) {
            throw new IllegalArgumentException("not a socket of the NIO transport: " + socket);
        }
        Key key = new Key(attachment);
        key.key = p.channel().register(selector, ops, key);
        return key;
    }

    @Override
    public int select(long timeoutMillis, Consumer<PollKey> action) throws IOException {
        this.action = action;
        try {
            return timeoutMillis == 0 ? selector.selectNow(dispatch) : selector.select(dispatch, timeoutMillis);
        } finally {
            this.action = null;
        }
    }

    private void dispatch(SelectionKey key) {
        action.accept((Key) key.attachment());
    }

    @Override
    public void wakeup() {
        selector.wakeup();
    }

    @Override
    public int registeredCount() {
        return selector.keys().size();
    }

    @Override
    public void forEach(Consumer<PollKey> action) {
        for (SelectionKey key : List.copyOf(selector.keys())) {
            if (key.isValid()) {
                action.accept((Key) key.attachment());
            }
        }
    }

    @Override
    public void close() {
        try {
            selector.close();
        } catch (IOException e) {
            System.getLogger(NioPoller.class.getName()).log(System.Logger.Level.DEBUG, "closing a selector", e);
        }
    }

    /** A {@link SelectionKey} seen as a {@link PollKey}. */
    private static final class Key implements PollKey {
        private final Object attachment;
        private SelectionKey key;

        Key(Object attachment) {
            this.attachment = attachment;
        }

        @Override
        public void interestOps(int ops) {
            key.interestOps(ops);
        }

        @Override
        public int readyOps() {
            return key.readyOps();
        }

        @Override
        public boolean isValid() {
            return key.isValid();
        }

        @Override
        public void cancel() {
            key.cancel();
        }

        @Override
        public Object attachment() {
            return attachment;
        }
    }
}
