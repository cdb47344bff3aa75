package dev.brigade.filter;

import java.io.IOException;
import java.nio.ByteBuffer;
import dev.brigade.net.SocketOutput;
import java.nio.channels.GatheringByteChannel;

/**
 * The last filter: the one place where response bytes are written to a socket.
 *
 * <p>It writes without ever blocking: consecutive in-memory buckets leave in one gathering write
 * ({@code write(ByteBuffer[])}: a head and its body slices together, no copying on our side), file
 * regions leave with {@link SocketOutput#transferFrom} (sendfile). Whatever the socket refuses is set aside and
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

    private final SocketOutput channel;
    private final ByteBuffer[] iov; // scratch for one gathering write; shared by a loop's connections
    private final ByteBuffer coalesce; // scratch for one coalesced write; shared likewise
    private long bytesWritten;
    private long bytesPassed;
    private long lastResponseEnd;
    private boolean socketFull;
    private int queuedResponses;

    public NetworkFilter(GatheringByteChannel channel) {
        this(channel, newGatherScratch(), newCoalesceScratch());
    }

    /**
     * @param iov scratch array for gathering writes, from {@link #newGatherScratch()}; connections of
     *            one loop may share one, since a write never outlives the call that makes it
     * @param coalesce scratch from {@link #newCoalesceScratch()}, shared the same way
     */
    public NetworkFilter(GatheringByteChannel channel, ByteBuffer[] iov, ByteBuffer coalesce) {
        this(SocketOutput.of(channel), iov, coalesce);
    }

    /** The network filter of a socket ({@code net.Endpoint}); scratch as above. */
    public NetworkFilter(SocketOutput channel, ByteBuffer[] iov, ByteBuffer coalesce) {
        super("network");
        this.channel = channel;
        this.iov = iov;
        this.coalesce = coalesce;
    }

    /** Scratch for coalescing small pieces into one write; a loop's connections may share one. */
    public static ByteBuffer newCoalesceScratch() {
        return ByteBuffer.allocateDirect((int) GATHER_LIMIT_BYTES);
    }

    public static ByteBuffer[] newGatherScratch() {
        return new ByteBuffer[IOV_MAX];
    }

    @Override
    public void write(Brigade in) throws IOException {
        boolean kick = in.isEmpty();
        boolean flush = false;
        for (int i = 0; i < in.size(); i++) {
            Bucket b = in.get(i);
            bytesPassed += switch (b) {
                case Bucket.FileRegion region -> region.remaining();
                case Bucket.Bytes bytes -> bytes.data().remaining();
                default -> 0;
            };
            if (b instanceof Bucket.EndOfRequest eor) {
                eor.markOffsets(lastResponseEnd, bytesPassed); // what passed since the last response is this one's
                lastResponseEnd = bytesPassed;
                queuedResponses++;
            } else if (b == Bucket.Flush.INSTANCE) {
                flush = true;
            }
        }
        // Append to what waits here, then write from there in place: each bucket is moved once,
        // however many small writes a pipelined batch makes before its flush.
        setaside(in);
        Brigade pending = asideBrigade();
        if (kick || flush || pending.memoryBytes() >= GATHER_LIMIT_BYTES) {
            writeOut(pending); // on failure what did not leave stays here, and closing completes it
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

    /** The stream offset where the last complete response passed here ended: the next one starts there. */
    public long lastResponseEnd() {
        return lastResponseEnd;
    }

    /** Complete responses waiting here (end-of-request buckets not yet reached): httpd's FlushMaxPipelined. */
    public int queuedResponses() {
        return queuedResponses;
    }

    /**
     * Squid's {@code comm_cancel_write}: withdraws every bucket that has not started to leave; each
     * completes {@link WriteOutcome#CANCELLED}, once. A bucket already partly written stays, so
     * the bytes on the wire are never cut inside a bucket; the connection stays usable.
     *
     * @return how many buckets were cancelled
     */
    public int cancelWrite() {
        if (!hasSetAside()) {
            return 0;
        }
        Brigade pending = asideBrigade();
        Bucket first = pending.first();
        boolean keepFirst = switch (first) {
            case Bucket.Bytes b -> b.started();
            case Bucket.FileRegion r -> r.started();
            default -> false;
        };
        Bucket kept = keepFirst ? pending.poll() : null;
        int cancelled = pending.size();
        for (Bucket b; (b = pending.poll()) != null; ) {
            if (b instanceof Bucket.EndOfRequest) {
                queuedResponses--;
            }
            b.complete(WriteOutcome.CANCELLED);
        }
        if (kept != null) {
            pending.add(kept);
        }
        return cancelled;
    }

    @Override
    protected void discard(WriteOutcome outcome) {
        queuedResponses = 0;
        super.discard(outcome);
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
                return;
            }
        }
    }

    /** Completes, in order, the buckets at the front that have nothing left to write. */
    private void completeWrittenPrefix(Brigade bb) {
        Bucket b;
        while ((b = bb.first()) != null) {
            boolean done = switch (b) {
                case Bucket.Bytes bytes -> !bytes.data().hasRemaining();
                case Bucket.FileRegion region -> region.remaining() == 0;
                case Bucket.Flush f -> true;
                case Bucket.Eos e -> true;
                case Bucket.EndOfRequest eor -> true;
                case Bucket.Head head -> throw new IllegalStateException("a response head reached the network unencoded");
            };
            if (!done) {
                return;
            }
            bb.poll();
            if (b instanceof Bucket.EndOfRequest) {
                queuedResponses--;
            }
            b.complete(WriteOutcome.COMPLETED);
        }
    }

    /** One gathering write of the in-memory buckets at the front; false if the socket took less than offered. */
    private boolean gather(Brigade bb) throws IOException {
        int count = 0;
        long offered = 0;
        boolean fileNext = false;
        for (int i = 0; i < bb.size(); i++) {
            Bucket b = bb.get(i);
            if (b instanceof Bucket.Bytes bytes) {
                if (bytes.data().hasRemaining()) {
                    iov[count++] = bytes.data();
                    offered += bytes.data().remaining();
                    if (count == IOV_MAX) {
                        break;
                    }
                }
            } else if (b instanceof Bucket.FileRegion region) {
                fileNext = region.remaining() > 0; // its sendfile, right after, releases what MSG_MORE held
                break;
            }
        }
        long written = count > 1 && offered <= coalesce.capacity() && allCopyable(count)
                ? writeCoalesced(count, fileNext)
                : count == 1 ? (fileNext ? channel.writeBeforeFile(iov[0]) : channel.write(iov[0]))
                : channel.write(iov, 0, count);
        java.util.Arrays.fill(iov, 0, count, null);
        bytesWritten += written;
        completeWrittenPrefix(bb);
        return written == offered;
    }

    /** Pieces below this size are copied into the coalesced write even from direct memory (heads). */
    private static final int SMALL_DIRECT_BYTES = 2048;

    private boolean allCopyable(int count) {
        for (int i = 0; i < count; i++) {
            if (iov[i].isDirect() && iov[i].remaining() > SMALL_DIRECT_BYTES) {
                return false; // cached pages and other large pooled memory: written in place, never copied
            }
        }
        return true;
    }

    /**
     * Small pieces (heads, short bodies, a pipelined batch of responses) are copied once into
     * one direct buffer and leave in one plain write: the JDK would copy each into a temporary
     * direct buffer anyway, and one contiguous write is cheaper than a writev of many. The pieces
     * then advance by what the socket took, in order, exactly as a gathering write would leave them.
     */
    private long writeCoalesced(int count, boolean fileNext) throws IOException {
        ByteBuffer out = coalesce.clear();
        for (int i = 0; i < count; i++) {
            out.put(out.position(), iov[i], iov[i].position(), iov[i].remaining());
            out.position(out.position() + iov[i].remaining());
        }
        out.flip();
        int written = fileNext ? channel.writeBeforeFile(out) : channel.write(out);
        int left = written;
        for (int i = 0; i < count && left > 0; i++) {
            int n = Math.min(left, iov[i].remaining());
            iov[i].position(iov[i].position() + n);
            left -= n;
        }
        return written;
    }

    private boolean send(Bucket.FileRegion region, Brigade bb) throws IOException {
        long n = channel.transferFrom(region.file(), region.position(), region.remaining());
        if (n > 0) {
            region.advance(n);
            bytesWritten += n;
        } else if (region.position() >= region.file().size()) {
            // transferTo also returns 0 at the end of a file that shrank: taken for a full socket,
            // the loop would wait for a writability that is already there, spinning until the
            // write timeout. The promised length cannot be kept, so this response ends as an error.
            throw new FileTruncatedException(region.position(), region.remaining());
        }
        if (region.remaining() == 0) {
            completeWrittenPrefix(bb);
            return true;
        }
        return false;
    }
}
