package dev.brigade.filter;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.GatheringByteChannel;

/**
 * The last filter: the one place where response bytes are written to a socket.
 *
 * <p>It writes without ever blocking: consecutive in-memory buckets leave in one gathering write
 * ({@code write(ByteBuffer[])}: a head and its body slices together, no copying on our side), file
 * regions leave with {@code transferTo} (sendfile). Whatever the socket refuses is set aside and
 * the connection waits for writability, then kicks the chain.
 *
 * <p>Data is collected, not written, until a {@code FLUSH} bucket, {@link #flush()}, a kick (an
 * empty brigade), or 64 KiB of it in memory: the connection flushes when a batch of requests is
 * answered, so the responses to pipelined requests leave together, in one system call.
 */
public final class NetworkFilter extends OutputFilter {

    /** In-memory bytes collected before a write is forced anyway. */
    private static final long GATHER_LIMIT_BYTES = 64 * 1024;
    private static final int IOV_MAX = 64;

    private final GatheringByteChannel channel;
    private final ByteBuffer[] iov = new ByteBuffer[IOV_MAX];
    private long bytesWritten;
    private long bytesPassed;
    private boolean socketFull;

    public NetworkFilter(GatheringByteChannel channel) {
        super("network");
        this.channel = channel;
    }

    @Override
    public void write(Brigade in) throws IOException {
        boolean kick = in.isEmpty();
        for (Bucket b : in.view()) {
            bytesPassed += b instanceof Bucket.FileRegion region ? region.remaining() : b.memoryBytes();
            if (b instanceof Bucket.EndOfRequest eor) {
                eor.markEnd(bytesPassed);
            }
        }
        reinstate(in);
        try {
            if (kick || in.memoryBytes() >= GATHER_LIMIT_BYTES || containsFlush(in)) {
                writeOut(in);
            }
        } finally {
            // also when the socket failed: what did not leave stays owned here, so that closing the
            // connection completes it (CLOSING) instead of dropping it uncompleted
            setaside(in);
        }
    }

    /** Writes what is set aside, as far as the socket takes it; true when nothing remains. */
    public boolean flush() throws IOException {
        if (hasSetAside()) {
            write(new Brigade());
        }
        return !hasSetAside();
    }

    /** Total bytes handed to this filter so far: the stream offset at which the next bucket will leave. */
    public long bytesPassed() {
        return bytesPassed;
    }

    /** Complete responses waiting here (end-of-request buckets not yet reached): httpd's FlushMaxPipelined. */
    public int queuedResponses() {
        int n = 0;
        for (Bucket b : asideBrigade().view()) {
            if (b instanceof Bucket.EndOfRequest) {
                n++;
            }
        }
        return n;
    }

    /** Total bytes this connection has written to its socket. */
    public long bytesWritten() {
        return bytesWritten;
    }

    @Override
    protected boolean backedUp() {
        return socketFull && hasSetAside();
    }

    private void writeOut(Brigade bb) throws IOException {
        socketFull = false;
        while (!bb.isEmpty()) {
            completeWrittenPrefix(bb);
            Bucket first = bb.first();
            if (first == null) {
                return;
            }
            boolean refused = first instanceof Bucket.FileRegion region ? !send(region, bb) : !gather(bb);
            if (refused) {
                socketFull = true;
                bb.recount();
                return;
            }
        }
    }

    /** Completes, in order, the buckets at the front that have nothing left to write. */
    private static void completeWrittenPrefix(Brigade bb) {
        Bucket b;
        while ((b = bb.first()) != null) {
            boolean done = switch (b) {
                case Bucket.Bytes bytes -> !bytes.data().hasRemaining();
                case Bucket.FileRegion region -> region.remaining() == 0;
                case Bucket.Flush f -> true;
                case Bucket.Eos e -> true;
                case Bucket.EndOfRequest eor -> true;
            };
            if (!done) {
                return;
            }
            bb.poll();
            b.complete(WriteOutcome.COMPLETED);
        }
    }

    /** One gathering write of the in-memory buckets at the front; false if the socket took less than offered. */
    private boolean gather(Brigade bb) throws IOException {
        int count = 0;
        long offered = 0;
        for (Bucket b : bucketsOf(bb)) {
            if (b instanceof Bucket.Bytes bytes) {
                if (bytes.data().hasRemaining()) {
                    iov[count++] = bytes.data();
                    offered += bytes.data().remaining();
                    if (count == IOV_MAX) {
                        break;
                    }
                }
            } else if (b instanceof Bucket.FileRegion) {
                break;
            }
        }
        long written = count == 1 ? channel.write(iov[0]) : channel.write(iov, 0, count);
        java.util.Arrays.fill(iov, 0, count, null);
        bytesWritten += written;
        completeWrittenPrefix(bb);
        return written == offered;
    }

    private boolean send(Bucket.FileRegion region, Brigade bb) throws IOException {
        long n = region.file().transferTo(region.position(), region.remaining(), channel);
        if (n > 0) {
            region.advance(n);
            bytesWritten += n;
        }
        if (region.remaining() == 0) {
            completeWrittenPrefix(bb);
            return true;
        }
        return false;
    }

    private static boolean containsFlush(Brigade bb) {
        for (Bucket b : bucketsOf(bb)) {
            if (b == Bucket.Flush.INSTANCE) {
                return true;
            }
        }
        return false;
    }

    private static Iterable<Bucket> bucketsOf(Brigade bb) {
        return bb.view();
    }
}
