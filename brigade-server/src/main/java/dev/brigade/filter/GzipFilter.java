package dev.brigade.filter;

import dev.brigade.api.Headers;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * Compresses response bodies with gzip (RFC 1952) as they pass, and owns everything that goes
 * with it: on each response {@link Bucket.Head} it decides (a compressible type, status 200, the
 * client accepts gzip by its q-values, no coding or range yet, no {@code no-transform}, long enough),
 * then sets {@code Content-Encoding}, merges {@code Accept-Encoding} into {@code Vary} (for every
 * compressible type, compressed or not, since the choice depends on it), codes the strong
 * {@code ETag} as another representation's (RFC 9110 §8.8.3) and drops the length. Lives as long
 * as its connection; the deflater exists only while a body is being compressed.
 *
 * <p>Unlike httpd's mod_deflate it yields: it compresses one piece of input at a time and, when
 * the filter after it still holds set-aside data ({@link #shouldYield()}), sets the rest of its
 * input aside and returns. The loop kicks it again in write completion, so a large response to a
 * slow client is compressed as the client reads, not all at once into memory.
 *
 * <p>It is also fair to the other connections of its loop: one call compresses at most
 * {@link #PIECES_PER_CALL} pieces, then sets the rest aside even if the socket would take more. The
 * connection then waits for writability, which a loopback or LAN socket has at once, so the loop
 * kicks this filter again on its next pass, after every other ready connection had its turn.
 *
 * <p>Memory: deflate output is copied out of a per-thread scratch array into arrays of exactly its
 * size, so what waits downstream holds no mostly empty arrays; file input is read through a
 * per-thread scratch too. What a response keeps between kicks is its deflater and its set-aside data.
 */
public final class GzipFilter extends OutputFilter {

    private static final byte[] HEADER = {0x1f, (byte) 0x8b, Deflater.DEFLATED, 0, 0, 0, 0, 0, 0, (byte) 0xff};
    /** Input consumed per step before checking whether to yield. */
    private static final int PIECE_BYTES = 32 * 1024;
    /**
     * Pieces compressed per call before yielding to the loop's other connections: one (32 KiB of
     * input, about half a millisecond at level 6), so that 25 busy gzip connections on a loop
     * delay a fresh request by a pass of roughly 10 ms, not 50.
     */
    static final int PIECES_PER_CALL = 1;
    private static final int OUT_BYTES = 16 * 1024;
    /** Scratch shared by the filters that run on one thread (a loop): used within one call only. */
    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private static final class Scratch {
        final byte[] out = new byte[OUT_BYTES];
        final ByteBuffer fileChunk = ByteBuffer.allocate(PIECE_BYTES);
    }

    private final int level;
    private final long minBytes;
    private Deflater deflater; // while a body is being compressed
    private CRC32 crc;
    private long inputBytes;

    /**
     * @param level deflate level, 1 (fast) to 9 (small)
     * @param minBytes bodies of known length below this are sent as they are
     */
    public GzipFilter(int level, long minBytes) {
        super("gzip");
        if (level < 1 || level > 9) {
            throw new IllegalArgumentException("gzip level must be 1 to 9: " + level);
        }
        this.level = level;
        this.minBytes = minBytes;
    }

    @Override
    public void write(Brigade in) throws IOException {
        if (deflater == null && !hasSetAside() && !in.containsHead()) {
            passNext(in); // not compressing, not starting a response: nothing to do
            return;
        }
        reinstate(in);
        Brigade out = new Brigade();
        Bucket b;
        int pieces = 0;
        while ((b = in.first()) != null) {
            if (!out.isEmpty()) {
                passNext(out); // each piece goes on at once, so that shouldYield sees the socket's state
                out = new Brigade();
            }
            if (shouldYield()) {
                break; // downstream is backed up: keep the rest for a kick in write completion
            }
            boolean data = b instanceof Bucket.Bytes || b instanceof Bucket.FileRegion;
            if (deflater == null || !data) {
                in.poll();
                onMetadata(b, out);
                continue;
            }
            if (pieces++ == PIECES_PER_CALL) {
                break; // this connection's quantum for this pass: the rest waits for the next kick
            }
            boolean consumed = b instanceof Bucket.Bytes bytes
                    ? compressPiece(bytes.data(), out) : compressFilePiece((Bucket.FileRegion) b, out);
            if (consumed) {
                in.poll().complete(WriteOutcome.COMPLETED);
            }
        }
        setaside(in);
        if (!out.isEmpty()) {
            passNext(out);
        }
    }

    /** A head, flush, EOS or end-of-request; or any bucket while not compressing: passed on, in order. */
    private void onMetadata(Bucket b, Brigade out) {
        switch (b) {
            case Bucket.Head head -> {
                out.add(head);
                if (decide(head) && !head.answersHead()) {
                    start(out); // the gzip header follows the response head
                }
                return;
            }
            case Bucket.Flush f when deflater != null -> drain(out, Deflater.SYNC_FLUSH);
            case Bucket.Eos e when deflater != null -> finish(out);
            default -> {
            }
        }
        out.add(b);
    }

    /** Whether this response is compressed; edits its head either way (Vary for every compressible type). */
    private boolean decide(Bucket.Head head) {
        Headers h = head.headers();
        if (!ContentCoding.compressible(h.get("Content-Type"))) {
            return false;
        }
        String vary = h.get("Vary");
        if (vary == null || vary.isBlank()) {
            h.set("Vary", "Accept-Encoding");
        } else if (!h.hasToken("Vary", "Accept-Encoding") && !h.hasToken("Vary", "*")) {
            h.set("Vary", vary + ", Accept-Encoding");
        }
        long length = head.contentLength();
        boolean notModified = head.status() == 304; // no body, but the ETag the 200 would carry
        boolean gzip = (head.status() == 200 || notModified) && (length < 0 || length >= minBytes)
                && h.get("Content-Encoding") == null && h.get("Content-Range") == null
                && !h.hasToken("Cache-Control", "no-transform")
                && ContentCoding.accepts(head.request().header("Accept-Encoding"), "gzip");
        if (!gzip) {
            return false;
        }
        String coded = ContentCoding.gzipEtag(h.get("ETag"));
        if (coded != null) {
            h.set("ETag", coded);
        }
        if (notModified) {
            return false;
        }
        h.set("Content-Encoding", "gzip");
        h.remove("Accept-Ranges"); // ranges of the coded body are not served
        head.contentLength(-1);
        return true;
    }

    private void start(Brigade out) {
        deflater = new Deflater(level, true);
        crc = new CRC32();
        inputBytes = 0;
        out.add(Bucket.Bytes.of(HEADER.clone()));
    }

    /** Compresses up to one piece of {@code data}; true when all of it was consumed. */
    private boolean compressPiece(ByteBuffer data, Brigade out) {
        int n = Math.min(PIECE_BYTES, data.remaining());
        ByteBuffer piece = data.slice(data.position(), n);
        crc.update(piece.duplicate());
        inputBytes += n;
        deflater.setInput(piece);
        drain(out, Deflater.NO_FLUSH);
        data.position(data.position() + n);
        return !data.hasRemaining();
    }

    private boolean compressFilePiece(Bucket.FileRegion region, Brigade out) throws IOException {
        if (region.remaining() == 0) {
            return true;
        }
        ByteBuffer fileChunk = SCRATCH.get().fileChunk;
        fileChunk.clear().limit((int) Math.min(PIECE_BYTES, region.remaining()));
        int n = region.file().read(fileChunk, region.position());
        if (n < 0) {
            throw new FileTruncatedException(region.position(), region.remaining());
        }
        fileChunk.flip();
        crc.update(fileChunk.duplicate());
        inputBytes += n;
        deflater.setInput(fileChunk);
        drain(out, Deflater.NO_FLUSH);
        region.advance(n);
        return region.remaining() == 0;
    }

    /** Moves all output the deflater has (with the given flush mode) into {@code out}. */
    private void drain(Brigade out, int flushMode) {
        byte[] buf = SCRATCH.get().out;
        while (true) {
            int n = deflater.deflate(buf, 0, buf.length, flushMode);
            if (n > 0) {
                out.add(packed(buf, n));
            }
            if (n < buf.length && deflater.needsInput()) {
                return;
            }
        }
    }

    private void finish(Brigade out) {
        deflater.finish();
        byte[] buf = SCRATCH.get().out;
        while (!deflater.finished()) {
            int n = deflater.deflate(buf);
            if (n > 0) {
                out.add(packed(buf, n));
            }
        }
        ByteBuffer trailer = ByteBuffer.allocate(8).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        trailer.putInt((int) crc.getValue()).putInt((int) inputBytes).flip();
        out.add(new Bucket.Bytes(trailer));
        end();
    }

    private void end() {
        if (deflater != null) {
            deflater.end(); // native memory: freed at once, not when the collector gets to it
            deflater = null;
            crc = null;
        }
    }

    /** Output of {@code n} bytes in an array of exactly that size: what is held is what is sent. */
    private static Bucket packed(byte[] scratch, int n) {
        return new Bucket.Bytes(ByteBuffer.wrap(java.util.Arrays.copyOf(scratch, n)));
    }

    @Override
    protected void discard(WriteOutcome outcome) {
        super.discard(outcome);
        end(); // the connection closed mid-body
    }

    @Override
    protected void onRemoved() {
        end();
    }
}
