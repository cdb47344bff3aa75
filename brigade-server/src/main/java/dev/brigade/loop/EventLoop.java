package dev.brigade.loop;

import dev.brigade.net.IoBackend;
import dev.brigade.net.NioBackend;
import dev.brigade.net.PollKey;
import dev.brigade.net.Pollable;
import dev.brigade.net.Poller;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One readiness loop: a thread, its {@link Poller} (a NIO selector or an epoll instance), a task
 * queue other threads feed, and the timeout queues of the connections it owns.
 *
 * <p>Each pass: select (blocking at most until the nearest deadline, not at all when tasks wait),
 * dispatch ready keys, run queued tasks, expire timeouts. The loop blocks only in select. An
 * exception from one handler is given back to that handler ({@link IoHandler#onFailure}) and the
 * loop goes on; nothing a connection does stops the loop.
 *
 * <p>Threading: everything except {@link #execute} and {@link #shutdown} runs on the loop thread.
 */
public final class EventLoop implements Executor {

    private static final System.Logger LOG = System.getLogger(EventLoop.class.getName());
    private static final long WALL_REREAD_NANOS = 100_000_000;

    private final int index;
    private final Poller selector;
    private final Thread thread;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean wakeupPending = new AtomicBoolean();
    private final List<TimeoutQueue> timeoutQueues = new ArrayList<>();
    private final Timers timers = new Timers();
    private final CountDownLatch terminated = new CountDownLatch(1);
    private final java.util.function.Consumer<PollKey> dispatch = this::dispatch; // made once, not per pass
    private volatile boolean running = true;
    private long nowNanos = System.nanoTime();
    private long wallReadNanos = nowNanos - WALL_REREAD_NANOS; // read on first use
    private long wallReadMillis;

    /** A loop polling with NIO. */
    public EventLoop(int index) {
        this(index, NioBackend.INSTANCE);
    }

    /** A loop polling with the backend's poller; its sockets must come from the same backend. */
    public EventLoop(int index, IoBackend backend) {
        this.index = index;
        try {
            this.selector = backend.openPoller();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a " + backend.name() + " poller", e);
        }
        this.thread = Thread.ofPlatform().name("brigade-loop-" + index).unstarted(this::run);
    }

    public void start() {
        thread.start();
    }

    public int index() {
        return index;
    }

    public boolean inLoop() {
        return Thread.currentThread() == thread;
    }

    /**
     * The loop's clock: read when a ready channel is dispatched and before each task, so it is at most
     * one connection's slice of work old. Connections take their timeouts' start and their requests'
     * start from it, which saves several clock reads per request.
     */
    public long nowNanos() {
        return nowNanos;
    }

    /** Reads the clock again, after work of unknown length in the current slice (an inline handler). */
    public long refreshNow() {
        return nowNanos = System.nanoTime();
    }

    /**
     * The wall clock in whole seconds at {@link #nowNanos}, for the {@code Date} field; loop thread
     * only. The wall clock is read at most every 100 ms and carried forward by the loop's clock in
     * between, so a request costs no clock read of its own.
     */
    public long epochSecond() {
        if (nowNanos - wallReadNanos >= WALL_REREAD_NANOS) {
            wallReadNanos = nowNanos;
            wallReadMillis = System.currentTimeMillis();
        }
        return (wallReadMillis + (nowNanos - wallReadNanos) / 1_000_000) / 1000;
    }

    /**
     * The queue for one timeout value, created on first use: connections with equal timeouts share
     * a queue, so the number of queues is the number of distinct timeouts, not of connections.
     */
    public TimeoutQueue timeoutQueue(String name, Duration timeout) {
        assert inLoop() || !thread.isAlive();
        for (TimeoutQueue q : timeoutQueues) {
            if (q.timeout().equals(timeout)) {
                return q;
            }
        }
        TimeoutQueue q = new TimeoutQueue(name, timeout);
        timeoutQueues.add(q);
        return q;
    }

    /** Runs {@code task} on this loop after {@code delay}; loop thread only. */
    public Timers.Timer schedule(Duration delay, Runnable task) {
        assert inLoop();
        return timers.schedule(nowNanos + delay.toNanos(), task);
    }

    /** Registers a socket with this loop's poller ({@link Poller#READ} etc.); loop thread only. */
    public PollKey register(Pollable socket, int ops, IoHandler handler) throws IOException {
        assert inLoop();
        return selector.register(socket, ops, handler);
    }

    /** Runs the task on the loop thread, soon; callable from any thread. */
    @Override
    public void execute(Runnable task) {
        tasks.add(task);
        if (!inLoop() && wakeupPending.compareAndSet(false, true)) {
            selector.wakeup();
        }
    }

    /** Stops the loop after its current pass; keys still registered are closed by their owners' tasks first. */
    public void shutdown() {
        running = false;
        if (thread.getState() == Thread.State.NEW) {
            closeSelector(); // never started: nothing else will release the selector
            terminated.countDown();
            return;
        }
        selector.wakeup();
    }

    public boolean awaitTermination(Duration timeout) throws InterruptedException {
        return terminated.await(timeout.toNanos(), java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    /** Calls {@code action} for the handler of every registered channel; loop thread only. */
    public void forEachHandler(java.util.function.Consumer<IoHandler> action) {
        assert inLoop();
        selector.forEach(key -> action.accept((IoHandler) key.attachment()));
    }

    /** Number of channels registered with this loop (connections plus listeners). */
    public int registeredCount() {
        return selector.registeredCount();
    }

    private void run() {
        try {
            while (running) {
                runOnePass();
            }
            runTasks();
        } catch (Throwable fatal) {
            LOG.log(System.Logger.Level.ERROR, "event loop " + index + " stopped by an error", fatal);
        } finally {
            closeSelector();
            terminated.countDown();
        }
    }

    private void runOnePass() {
        long timeoutMillis = selectTimeoutMillis();
        try {
            selector.select(tasks.isEmpty() ? timeoutMillis : 0, dispatch);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "select failed on loop " + index, e);
        }
        wakeupPending.set(false);
        nowNanos = System.nanoTime();
        runTasks();
        expireTimeouts();
    }

    private long selectTimeoutMillis() {
        long next = timers.nextDeadlineNanos();
        for (TimeoutQueue q : timeoutQueues) {
            next = Math.min(next, q.nextDeadlineNanos());
        }
        if (next == Long.MAX_VALUE) {
            return 1000; // nothing due: wake now and then anyway, for a shutdown flag set without wakeup
        }
        long waitNanos = next - System.nanoTime();
        if (waitNanos <= 0) {
            return 0;
        }
        return Math.max(1, (waitNanos + 999_999) / 1_000_000);
    }

    private void dispatch(PollKey key) {
        nowNanos = System.nanoTime();
        IoHandler handler = (IoHandler) key.attachment();
        try {
            if (key.isValid()) {
                handler.onReady(key.readyOps());
            }
        } catch (Throwable t) {
            fail(handler, t);
        }
    }

    private void runTasks() {
        Runnable task;
        // Bounded: tasks queued while draining run in the next pass, so I/O is not starved.
        for (int n = tasks.size(); n > 0 && (task = tasks.poll()) != null; n--) {
            nowNanos = System.nanoTime();
            try {
                task.run();
            } catch (Throwable t) {
                LOG.log(System.Logger.Level.ERROR, "task failed on loop " + index, t);
            }
        }
    }

    private void expireTimeouts() {
        try {
            timers.runExpired(nowNanos);
        } catch (Throwable t) {
            LOG.log(System.Logger.Level.ERROR, "timer failed on loop " + index, t);
        }
        for (int i = 0; i < timeoutQueues.size(); i++) {
            try {
                timeoutQueues.get(i).expire(nowNanos);
            } catch (Throwable t) {
                LOG.log(System.Logger.Level.ERROR, "timeout handling failed on loop " + index, t);
            }
        }
    }

    private void fail(IoHandler handler, Throwable t) {
        try {
            handler.onFailure(t);
        } catch (Throwable again) {
            LOG.log(System.Logger.Level.ERROR, "failure handling failed on loop " + index, again);
        }
    }

    private void closeSelector() {
        selector.close();
    }
}
