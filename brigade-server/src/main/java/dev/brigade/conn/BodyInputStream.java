package dev.brigade.conn;

import dev.brigade.api.BodyListener;
import dev.brigade.api.Request;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * {@code Request.bodyStream()}: a blocking stream over {@link Request#read}, for handlers on
 * threads that may block. Each piece is a view of the connection's read buffer, copied out as the
 * handler reads; the next piece is asked for only when this one is used up, so nothing is
 * collected and a slow reader slows the client down. One reader thread; the loop calls back.
 */
final class BodyInputStream extends InputStream implements BodyListener {

    private final Request request;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition answered = lock.newCondition();
    private ByteBuffer piece; // guarded by lock
    private boolean waiting; // guarded by lock
    private boolean end; // guarded by lock
    private Throwable failure; // guarded by lock

    BodyInputStream(Request request) {
        this.request = request;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        java.util.Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            return 0;
        }
        lock.lock();
        try {
            while (piece == null || !piece.hasRemaining()) {
                if (end) {
                    return -1;
                }
                if (failure != null) {
                    throw new IOException("request body could not be read", failure);
                }
                if (!waiting) {
                    piece = null;
                    waiting = true;
                    request.read(this); // releases the piece used up; answered on the loop
                }
                answered.await();
            }
            int n = Math.min(len, piece.remaining());
            piece.get(b, off, n);
            return n;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for the request body");
        } finally {
            lock.unlock();
        }
    }

    @Override
    public int available() {
        lock.lock();
        try {
            return piece == null ? 0 : piece.remaining();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void onChunk(ByteBuffer chunk) {
        answer(chunk, false, null);
    }

    @Override
    public void onEnd() {
        answer(null, true, null);
    }

    @Override
    public void onError(Throwable failure) {
        answer(null, false, failure);
    }

    private void answer(ByteBuffer chunk, boolean ended, Throwable failed) {
        lock.lock();
        try {
            waiting = false;
            piece = chunk;
            end |= ended;
            if (failed != null) {
                failure = failed;
            }
            answered.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
