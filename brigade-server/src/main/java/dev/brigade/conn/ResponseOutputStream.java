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
        exchange.onLoop(() -> exchange.streamEnd(last));
    }

    private void handOver(boolean flush) {
        ByteBuffer data = takePiece();
        exchange.onLoop(() -> exchange.streamData(data, flush));
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
            throw new IOException("connection closed by peer or server");
        }
    }
}
