package dev.brigade.filter;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;

/**
 * Connection-level filter limiting a connection's output to a number of bytes per second. It
 * passes what the current 100 ms slot allows, sets the rest aside and asks the connection for a
 * kick at the next slot ({@link FilterContext#kickAfter}): the connection is parked on a timer, with
 * no thread and no busy polling of the socket.
 */
public final class RateLimitFilter extends OutputFilter {

    private static final long SLOT_NANOS = 100_000_000L;

    private final long bytesPerSlot;
    private long slotStartNanos;
    private long slotBytes;
    private boolean waitingForSlot;

    public RateLimitFilter(long bytesPerSecond) {
        super("rate-limit");
        if (bytesPerSecond < 10) {
            throw new IllegalArgumentException("at least 10 bytes per second");
        }
        this.bytesPerSlot = bytesPerSecond * SLOT_NANOS / 1_000_000_000L;
    }

    @Override
    public boolean connectionLevel() {
        return true;
    }

    @Override
    public void write(Brigade in) throws IOException {
        reinstate(in);
        long now = System.nanoTime();
        if (now - slotStartNanos >= SLOT_NANOS) {
            slotStartNanos = now;
            slotBytes = 0;
        }
        waitingForSlot = false;
        Brigade out = new Brigade();
        Bucket b;
        while ((b = in.first()) != null && !shouldYield()) {
            long budget = bytesPerSlot - slotBytes;
            if (b instanceof Bucket.Bytes bytes && bytes.data().remaining() > 0) {
                if (budget <= 0) {
                    break;
                }
                ByteBuffer data = bytes.data();
                int n = (int) Math.min(budget, data.remaining());
                if (n < data.remaining()) {
                    // pass a copy of the part the budget allows; the rest stays in the bucket
                    byte[] part = new byte[n];
                    data.get(part);
                    out.add(Bucket.Bytes.of(part));
                    slotBytes += n;
                    break;
                }
                slotBytes += n;
            } else if (b instanceof Bucket.FileRegion region && region.remaining() > 0) {
                if (budget <= 0) {
                    break;
                }
                long n = Math.min(budget, region.remaining());
                ByteBuffer part = ByteBuffer.allocate((int) n);
                while (part.hasRemaining()) {
                    if (region.file().read(part, region.position() + part.position()) < 0) {
                        throw new FileTruncatedException(region.position() + part.position(), region.remaining() - part.position());
                    }
                }
                region.advance(n);
                out.add(new Bucket.Bytes(part.flip()));
                slotBytes += n;
                if (region.remaining() > 0) {
                    break;
                }
            }
            out.add(in.poll());
        }
        setaside(in);
        if (!out.isEmpty()) {
            passNext(out);
        }
        if (hasSetAside() && !shouldYield()) {
            waitingForSlot = true;
            long wait = SLOT_NANOS - (System.nanoTime() - slotStartNanos);
            context().kickAfter(Duration.ofNanos(Math.max(1_000_000, wait)));
        }
    }

    @Override
    protected boolean waitsForTimer() {
        return waitingForSlot;
    }
}
