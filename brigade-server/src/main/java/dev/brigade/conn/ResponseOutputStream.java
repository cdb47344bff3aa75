package dev.brigade.conn;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;

/**
 * A response body of unknown length, written by the handler. Small writes are gathered into 8 KiB
 * pieces on the writer's thread; each piece, flush and close is handed to the loop in order.
 */
final class ResponseOutputStream extends OutputStream {

    private static final int PIECE_BYTES = 8192;

    private final Exchange exchange;
    private byte[] piece = new byte[PIECE_BYTES];
    private int length;
    private boolean closed;

    ResponseOutputStream(Exchange exchange) {
        this.exchange = exchange;
    }

    @Override
    public synchronized void write(int b) throws IOException {
        ensureOpen();
        if (length == piece.length) {
            handOver(false);
        }
        piece[length++] = (byte) b;
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) throws IOException {
        ensureOpen();
        java.util.Objects.checkFromIndexSize(off, len, b.length);
        while (len > 0) {
            if (length == piece.length) {
                handOver(false);
            }
            int n = Math.min(len, piece.length - length);
            System.arraycopy(b, off, piece, length, n);
            length += n;
            off += n;
            len -= n;
        }
    }

    @Override
    public synchronized void flush() throws IOException {
        ensureOpen();
        handOver(true);
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        ByteBuffer last = takePiece();
        exchange.gate().handedOver(last.remaining());
        exchange.onLoop(() -> exchange.writer().streamEnd(last));
    }

    /**
     * Hands the gathered piece to the loop; then, on any thread but the loop's (a worker, a virtual
     * thread, a thread the handler started), waits while more than the flow-control bound is still
     * unwritten. Only a writer on the loop thread itself cannot wait (see BodyWriter).
     */
    private void handOver(boolean flush) throws IOException {
        ByteBuffer data = takePiece();
        exchange.gate().handedOver(data.remaining());
        exchange.onLoop(() -> exchange.writer().streamData(data, flush));
        if (!exchange.onLoopThread()) {
            try {
                if (!exchange.gate().awaitRoom()) {
                    throw new ConnectionClosedException();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted while the client was behind");
            }
        }
    }

    private ByteBuffer takePiece() {
        ByteBuffer data = ByteBuffer.wrap(piece, 0, length);
        piece = new byte[PIECE_BYTES]; // the loop owns the old array now
        length = 0;
        return data;
    }

    private void ensureOpen() throws IOException {
        if (closed) {
            throw new IOException("response stream closed");
        }
        if (exchange.aborted()) {
            throw new ConnectionClosedException();
        }
    }
}
