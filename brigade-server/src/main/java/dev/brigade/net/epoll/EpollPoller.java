package dev.brigade.net.epoll;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;

import dev.brigade.net.PollKey;
import dev.brigade.net.Pollable;
import dev.brigade.net.Poller;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * A level-triggered epoll instance, one per loop, with an eventfd to wake it from other threads.
 *
 * <p>Each registration has a slot in a table; the event's 64-bit data word carries the slot and a
 * generation, so an event already fetched for a socket that was cancelled in the same pass (and
 * whose slot or file descriptor number was reused since) is recognised and dropped. Interest
 * changes go to the kernel at once ({@code epoll_ctl}); an interest of 0 removes the socket from the
 * epoll set, as the JDK's selector does, so that a hung-up socket nobody reads cannot make every
 * pass return at once (EPOLLHUP and EPOLLERR are reported whatever the interest).
 *
 * <p>What NIO reports, this reports: EPOLLIN is {@link Poller#READ} (or {@link Poller#ACCEPT} for a
 * listening socket), EPOLLOUT is {@link Poller#WRITE}, and an error or hang-up makes every operation
 * of the interest set ready, so that the owner's next call meets the error.
 */
final class EpollPoller implements Poller {

    private static final System.Logger LOG = System.getLogger(EpollPoller.class.getName());
    private static final int MAX_EVENTS = 512;
    private static final long WAKE_DATA = -1L;

    private final int epfd;
    private final int wakeFd;
    final IoScratch scratch = new IoScratch(); // the loop thread's, shared by its sockets
    private final MemorySegment events;
    private final MemorySegment ctlEvent;
    private final MemorySegment wakeValue; // 1, written by other threads; never changes
    private final MemorySegment wakeDrain; // read by the loop thread
    private Key[] keys = new Key[64];
    private int[] freeSlots = new int[64];
    private int freeCount;
    private int nextSlot;
    private int nextGeneration;
    private int registered;
    private boolean closed;
    /**
     * Wake-ups in progress on other threads; {@link #CLOSING} is added once the poller closes. A
     * wake-up after that writes nothing: the eventfd's number may already belong to another file
     * (a client's socket), so close waits for those in progress and closes only then.
     */
    private final java.util.concurrent.atomic.AtomicInteger wakers = new java.util.concurrent.atomic.AtomicInteger();
    private static final int CLOSING = Integer.MIN_VALUE / 2;

    EpollPoller() throws IOException {
        Arena arena = Arena.ofAuto();
        events = arena.allocate(LibC.EPOLL_EVENT_BYTES * MAX_EVENTS, 8);
        ctlEvent = arena.allocate(16, 8);
        wakeValue = arena.allocate(JAVA_LONG);
        wakeValue.set(JAVA_LONG, 0, 1L);
        wakeDrain = arena.allocate(JAVA_LONG);
        MemorySegment errno = scratch.errno;
        epfd = LibC.epollCreate1(errno, LibC.EPOLL_CLOEXEC);
        if (epfd < 0) {
            throw LibC.exception(errno);
        }
        wakeFd = LibC.eventfd(errno, 0, LibC.EFD_NONBLOCK | LibC.EFD_CLOEXEC);
        if (wakeFd < 0) {
            IOException e = LibC.exception(errno);
            LibC.close(errno, epfd);
            throw e;
        }
        if (ctl(LibC.EPOLL_CTL_ADD, wakeFd, LibC.EPOLLIN, WAKE_DATA) < 0) {
            IOException e = LibC.exception(errno);
            LibC.close(errno, wakeFd);
            LibC.close(errno, epfd);
            throw e;
        }
    }

    @Override
    public PollKey register(Pollable socket, int ops, Object attachment) throws IOException {
        int fd;
        boolean listening;
        switch (socket) {
            case EpollEndpoint e -> {
                e.bind(scratch);
                fd = e.fd();
                listening = false;
            }
            case EpollListenSocket l -> {
                fd = l.fd();
                listening = true;
            }
            default -> throw new IllegalArgumentException("not a socket of the epoll transport: " + socket);
        }
        int slot = freeCount > 0 ? freeSlots[--freeCount] : nextSlot++;
        if (slot == keys.length) {
            keys = Arrays.copyOf(keys, keys.length * 2);
        }
        Key key = new Key(this, fd, slot, nextGeneration++, listening, attachment);
        keys[slot] = key;
        registered++;
        try {
            key.interestOps(ops);
        } catch (RuntimeException e) {
            key.cancel();
            throw e;
        }
        return key;
    }

    @Override
    public int select(long timeoutMillis, Consumer<PollKey> action) throws IOException {
        int timeout = (int) Math.min(Integer.MAX_VALUE, timeoutMillis);
        MemorySegment errno = scratch.errno;
        int n = LibC.epollWait(errno, epfd, events, MAX_EVENTS, timeout);
        if (n < 0) {
            if (LibC.errno(errno) == LibC.EINTR) {
                return 0;
            }
            throw LibC.exception(errno);
        }
        int given = 0;
        for (int i = 0; i < n; i++) {
            long at = i * LibC.EPOLL_EVENT_BYTES;
            int ready = events.get(JAVA_INT, at);
            long data = events.get(JAVA_LONG_UNALIGNED, at + LibC.EPOLL_DATA_OFFSET);
            if (data == WAKE_DATA) {
                LibC.read(errno, wakeFd, wakeDrain, 8); // back to 0; EAGAIN if another pass drained it
                continue;
            }
            int slot = (int) data;
            Key key = slot < keys.length ? keys[slot] : null;
            if (key == null || key.generation != (int) (data >>> 32)) {
                continue; // cancelled earlier in this pass
            }
            int ops = key.readyOps(ready);
            if (ops != 0) {
                key.ready = ops;
                action.accept(key);
                given++;
            }
        }
        return given;
    }

    @Override
    public void wakeup() {
        if (wakers.getAndIncrement() >= 0) {
            LibC.writePlain(wakeFd, wakeValue, 8); // the counter only grows: EAGAIN (never reached) would mean "already awake"
        }
        wakers.getAndDecrement();
    }

    @Override
    public int registeredCount() {
        return registered;
    }

    @Override
    public void forEach(Consumer<PollKey> action) {
        List<Key> valid = new ArrayList<>(registered);
        for (int i = 0; i < nextSlot; i++) {
            if (keys[i] != null) {
                valid.add(keys[i]);
            }
        }
        for (Key k : valid) {
            if (k.isValid()) {
                action.accept(k);
            }
        }
    }

    /** Closes the epoll instance and its eventfd, once; the sockets are their owners' to close. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        wakers.getAndAdd(CLOSING);
        while (wakers.get() != CLOSING) {
            Thread.onSpinWait(); // a wake-up is between its check and its write: one system call
        }
        MemorySegment errno = scratch.errno;
        if (LibC.close(errno, wakeFd) < 0 || LibC.close(errno, epfd) < 0) {
            LOG.log(System.Logger.Level.DEBUG, "closing an epoll instance: " + LibC.strerror(LibC.errno(errno)));
        }
    }

    private int ctl(int op, int fd, int events, long data) {
        ctlEvent.set(JAVA_INT, 0, events);
        ctlEvent.set(JAVA_LONG_UNALIGNED, LibC.EPOLL_DATA_OFFSET, data);
        return LibC.epollCtl(scratch.errno, epfd, op, fd, ctlEvent);
    }

    private void release(Key key) {
        keys[key.slot] = null;
        if (freeCount == freeSlots.length) {
            freeSlots = Arrays.copyOf(freeSlots, freeSlots.length * 2);
        }
        freeSlots[freeCount++] = key.slot;
        registered--;
    }

    /** One registration: its slot, the interest the kernel has, and what was ready this pass. */
    private static final class Key implements PollKey {
        private final EpollPoller poller;
        private final int fd;
        private final int slot;
        private final int generation;
        private final boolean listening;
        private final Object attachment;
        private int interest;
        private int kernelEvents; // what epoll_ctl last set; 0: not in the epoll set
        private int ready;
        private boolean valid = true;

        Key(EpollPoller poller, int fd, int slot, int generation, boolean listening, Object attachment) {
            this.poller = poller;
            this.fd = fd;
            this.slot = slot;
            this.generation = generation;
            this.listening = listening;
            this.attachment = attachment;
        }

        @Override
        public void interestOps(int ops) {
            if (!valid) {
                throw new java.nio.channels.CancelledKeyException();
            }
            interest = ops;
            int wanted = ((ops & (READ | ACCEPT)) != 0 ? LibC.EPOLLIN : 0) | ((ops & WRITE) != 0 ? LibC.EPOLLOUT : 0);
            if (wanted == kernelEvents) {
                return;
            }
            long data = ((long) generation << 32) | slot;
            int op = wanted == 0 ? LibC.EPOLL_CTL_DEL : kernelEvents == 0 ? LibC.EPOLL_CTL_ADD : LibC.EPOLL_CTL_MOD;
            if (poller.ctl(op, fd, wanted, data) < 0) {
                int errno = LibC.errno(poller.scratch.errno);
                // a socket closed under its key (EBADF, ENOENT) fails at its next read or write, as with NIO
                if (errno != LibC.EBADF && errno != LibC.ENOENT) {
                    throw new IllegalStateException("epoll_ctl on fd " + fd + ": " + LibC.strerror(errno));
                }
            }
            kernelEvents = wanted;
        }

        /** The operations {@code events} makes ready, within the interest set. */
        int readyOps(int events) {
            if ((events & (LibC.EPOLLERR | LibC.EPOLLHUP)) != 0) {
                return interest; // the owner's next call will meet the error or the end of stream
            }
            int ops = 0;
            if ((events & LibC.EPOLLIN) != 0) {
                ops |= listening ? ACCEPT : READ;
            }
            if ((events & LibC.EPOLLOUT) != 0) {
                ops |= WRITE;
            }
            return ops & interest;
        }

        @Override
        public int readyOps() {
            return ready;
        }

        @Override
        public boolean isValid() {
            return valid;
        }

        @Override
        public void cancel() {
            if (!valid) {
                return;
            }
            valid = false;
            if (kernelEvents != 0) {
                poller.ctl(LibC.EPOLL_CTL_DEL, fd, 0, 0); // EBADF/ENOENT: the socket is gone already, so is its entry
                kernelEvents = 0;
            }
            poller.release(this);
        }

        /**
         * The close that follows drops the epoll entry with the descriptor's last reference. Should
         * a forked child hold the descriptor a moment longer (until its exec closes it: CLOEXEC), an
         * event of the old entry carries this key's generation, which select no longer matches.
         */
        @Override
        public void cancelBeforeClose() {
            if (!valid) {
                return;
            }
            valid = false;
            kernelEvents = 0;
            poller.release(this);
        }

        @Override
        public Object attachment() {
            return attachment;
        }
    }
}
