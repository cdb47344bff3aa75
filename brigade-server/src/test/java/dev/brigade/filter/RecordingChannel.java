package dev.brigade.filter;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.GatheringByteChannel;

/**
 * A channel standing in for a socket whose send buffer takes {@code capacity} bytes per write
 * call, then nothing until {@link #drainable(int)} opens it again: a slow reader on demand.
 */
final class RecordingChannel implements GatheringByteChannel {

    final ByteArrayOutputStream received = new ByteArrayOutputStream();
    private int room;
    int writeCalls;

    RecordingChannel(int room) {
        this.room = room;
    }

    void drainable(int bytes) {
        room = bytes;
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) {
        long total = 0;
        for (int i = offset; i < offset + length; i++) {
            total += write(srcs[i]);
        }
        writeCalls++;
        return total;
    }

    @Override
    public long write(ByteBuffer[] srcs) {
        return write(srcs, 0, srcs.length);
    }

    @Override
    public int write(ByteBuffer src) {
        int n = Math.min(room, src.remaining());
        byte[] b = new byte[n];
        src.get(b);
        received.writeBytes(b);
        room -= n;
        return n;
    }

    @Override
    public boolean isOpen() {
        return true;
    }

    @Override
    public void close() {
    }
}
