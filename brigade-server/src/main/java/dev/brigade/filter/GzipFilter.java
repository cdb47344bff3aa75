package dev.brigade.filter;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * Request-level filter compressing a response body with gzip (RFC 1952) as it passes.
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
 *
 * <p>Lifecycle: created per response, inserted above the framing filter when the response starts,
 * removed after it passed EOS (which ends the deflater and writes the trailer).
 */
public final class GzipFilter extends OutputFilter {

    private static final byte[] HEADER = {0x1f, (byte) 0x8b, Deflater.DEFLATED, 0, 0, 0, 0, 0, 0, (byte) 0xff};
    /** Input consumed per step before checking whether to yield. */
    private static final int PIECE_BYTES = 32 * 1024;
    /** Pieces compressed per call before yielding to the loop's other connections (128 KiB of input). */
    static final int PIECES_PER_CALL = 4;
    private static final int OUT_BYTES = 16 * 1024;
    /** Scratch shared by the filters that run on one thread (a loop): used within one call only. */
    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private static final class Scratch {
        final byte[] out = new byte[OUT_BYTES];
        final ByteBuffer fileChunk = ByteBuffer.allocate(PIECE_BYTES);
    }

    private final Deflater deflater;
    private final CRC32 crc = new CRC32();
    private boolean headerSent;
    private boolean ended;
    private long inputBytes;

    public GzipFilter(int level) {
        super("gzip");
        this.deflater = new Deflater(level, true);
    }

    @Override
    public void write(Brigade in) throws IOException {
        reinstate(in);
        Brigade out = new Brigade();
        if (!headerSent) {
            out.add(Bucket.Bytes.of(HEADER.clone()));
            headerSent = true;
        }
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
            if (pieces == PIECES_PER_CALL && (b instanceof Bucket.Bytes || b instanceof Bucket.FileRegion)) {
                break; // this connection's quantum for this pass: the rest waits for the next kick
            }
            switch (b) {
                case Bucket.Bytes bytes -> {
                    pieces++;
                    if (compressPiece(bytes.data(), out)) {
                        in.poll();
                        bytes.complete(WriteOutcome.COMPLETED);
                    }
                }
                case Bucket.FileRegion region -> {
                    pieces++;
                    if (compressFilePiece(region, out)) {
                        in.poll();
                        region.complete(WriteOutcome.COMPLETED);
                    }
                }
                case Bucket.Flush flush -> {
                    in.poll();
                    drain(out, Deflater.SYNC_FLUSH);
                    out.add(flush);
                }
                case Bucket.Eos eos -> {
                    in.poll();
                    finish(out);
                    out.add(eos);
                }
                case Bucket.EndOfRequest eor -> out.add(in.poll());
            }
        }
        in.recount();
        setaside(in);
        if (!out.isEmpty()) {
            passNext(out);
        }
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
        if (ended) {
            return;
        }
        ended = true;
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
        deflater.end();
    }

    /** Output of {@code n} bytes in an array of exactly that size: what is held is what is sent. */
    private static Bucket packed(byte[] scratch, int n) {
        return new Bucket.Bytes(ByteBuffer.wrap(java.util.Arrays.copyOf(scratch, n)));
    }

    @Override
    protected void onRemoved() {
        if (!ended) {
            ended = true;
            deflater.end(); // native memory: free it even when the response was cut short
        }
    }
}
