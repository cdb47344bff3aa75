package dev.brigade.conn;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Flow control for a streamed response body: counts the bytes a producer handed over that have
 * not yet been written (or otherwise consumed) and holds the producer back beyond the connection's
 * output high water mark ({@code ConnectionConfig.outputHighWaterBytes}, 64 KiB by default), however
 * slow the client. The producer's bytes are a share of the same budget the filters count; the gate
 * counts them on the producer's side because the producer may be on another thread. A blocking producer (worker or virtual
 * thread) waits in {@link #awaitRoom}; a non-blocking one (inline) asks {@link #hasRoom} and
 * registers a callback, run on the loop thread when room frees up.
 */
final class StreamGate {

    private final long boundBytes;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition room = lock.newCondition();
    private long inFlight; // guarded by lock
    private boolean closed; // guarded by lock
    private final List<Runnable> whenRoom = new ArrayList<>(1); // guarded by lock

    StreamGate(long boundBytes) {
        this.boundBytes = boundBytes;
    }

    /** Counts bytes handed to the loop; call before handing them over. */
    void handedOver(long bytes) {
        lock.lock();
        try {
            inFlight += bytes;
        } finally {
            lock.unlock();
        }
    }

    /** Bytes left the producer's account (written, compressed, or dropped on close); loop thread. */
    void consumed(long bytes) {
        List<Runnable> ready = List.of();
        lock.lock();
        try {
            inFlight -= bytes;
            if (inFlight < boundBytes) {
                room.signalAll();
                if (!whenRoom.isEmpty()) {
                    ready = List.copyOf(whenRoom);
                    whenRoom.clear();
                }
            }
        } finally {
            lock.unlock();
        }
        ready.forEach(Runnable::run);
    }

    boolean hasRoom() {
        lock.lock();
        try {
            return inFlight < boundBytes;
        } finally {
            lock.unlock();
        }
    }

    /** Runs {@code callback} once there is room: now if there is, else from {@link #consumed}. */
    void whenRoom(Runnable callback) {
        lock.lock();
        try {
            if (inFlight >= boundBytes && !closed) {
                whenRoom.add(callback);
                return;
            }
        } finally {
            lock.unlock();
        }
        callback.run();
    }

    /** Blocks the producing thread while too much is in flight; false if the exchange was closed. */
    boolean awaitRoom() throws InterruptedException {
        lock.lock();
        try {
            while (inFlight >= boundBytes && !closed) {
                room.await(1, TimeUnit.SECONDS);
            }
            return !closed;
        } finally {
            lock.unlock();
        }
    }

    /** The connection is gone: release every waiter. */
    void close() {
        lock.lock();
        try {
            closed = true;
            room.signalAll();
            whenRoom.clear();
        } finally {
            lock.unlock();
        }
    }
}
